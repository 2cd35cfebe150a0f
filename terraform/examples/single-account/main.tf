terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.20"
    }
  }
}

provider "aws" {
  # Null uses the region of the environment (AWS_REGION, the profile).
  region = var.region

  default_tags {
    tags = {
      Project = "root-activity"
    }
  }
}

module "root_activity" {
  source = "../.."

  name = var.name

  # Rule parameters.
  lookback_days              = var.lookback_days
  fail_on_active_access_keys = var.fail_on_active_access_keys

  maximum_execution_frequency = "TwentyFour_Hours"
  log_retention_in_days       = 90
  log_level                   = "INFO"

  # Turn on only where AWS Config does not record yet in this region.
  create_config_recorder      = var.create_config_recorder
  config_bucket_force_destroy = var.config_bucket_force_destroy

  # Opt-in notifications: e-mail when the verdict changes and when the evaluator fails. An
  # empty list (the default) creates none of it.
  create_notifications = length(var.notification_emails) > 0
  notification_emails  = var.notification_emails

  # Root activity alerts within minutes, in this region and root_activity_alert_regions, on the
  # same topic (they need the notifications). The rule reads CloudTrail too (cloudtrail_lookup,
  # the default), so each root event also makes Config re-evaluate it after 15 minutes.
  create_root_activity_alerts = length(var.notification_emails) > 0
  root_activity_alert_regions = var.root_activity_alert_regions

  tags = var.tags
}
