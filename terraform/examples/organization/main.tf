terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.20"
    }
  }
}

# Credentials of the organization's management account (or of a delegated administrator, with
# call_as = "DELEGATED_ADMIN"; see README.md), in the home region where the rule runs.
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
  source = "../../modules/organization"

  name = var.name

  # Rule parameters, the same in every account.
  lookback_days              = var.lookback_days
  fail_on_active_access_keys = var.fail_on_active_access_keys

  maximum_execution_frequency = "TwentyFour_Hours"
  log_retention_in_days       = 90
  log_level                   = "INFO"

  # Where the member role goes (empty: the whole organization) and which accounts the rule skips.
  organizational_unit_ids = var.organizational_unit_ids
  excluded_accounts       = var.excluded_accounts

  # Management account deployment: the member role is created here directly, since StackSets
  # never deploy to the management account.
  call_as                            = var.call_as
  create_member_role_in_this_account = var.call_as == "SELF"

  create_aggregator = true

  # Opt-in notifications (verdict changes of every account, failure alarms) and root activity
  # alerts within minutes from every account, in this region and root_activity_alert_regions.
  # An empty notification_emails (the default) creates none of it.
  create_notifications        = length(var.notification_emails) > 0
  notification_emails         = var.notification_emails
  create_root_activity_alerts = length(var.notification_emails) > 0
  root_activity_alert_regions = var.root_activity_alert_regions

  tags = var.tags
}
