################################################################################
# Root activity events: what the alerts match and the message each one sends (internal:
# creates nothing; the single-account and the organization module use its outputs)
#
# CloudTrail delivers management events to the default event bus of the region where they are
# logged, as "AWS Console Sign In via CloudTrail" (source aws.signin) and "AWS API Call via
# CloudTrail" (EventBridge User Guide, "AWS service events delivered via AWS CloudTrail"; both
# need a trail that logs management events). A root event is one with userIdentity.type Root
# that an AWS service did not perform for root: no userIdentity.invokedBy, and eventType not
# AwsServiceEvent (the CIS metric filter for root use). Events of a session opened with
# sts:AssumeRoot (centralized root access) carry userIdentity.sessionContext.assumedRoot =
# "true" (IAM User Guide, "Track privileged tasks in AWS CloudTrail"); other sessions have no
# such field or an empty one.
#
# Each root event matches exactly one alert, so it sends one message, written for its kind:
#   signin     console sign-in, Success            signevent  other sign-in events (password
#   failed     console sign-in, Failure                       change, MFA check, ...)
#   api        API call                            assumed    any event of an AssumeRoot session
# and fwd-alarm tells when forwarding from a region (or account) fails. Patterns use only
# what EventBridge matches on an event bus: exact values, exists, anything-but and $or
# (EventBridge User Guide, "Comparison operators for use in event patterns").
################################################################################

locals {
  sign_in_detail_type  = "AWS Console Sign In via CloudTrail"
  api_call_detail_type = "AWS API Call via CloudTrail"

  # What the forwarding rules send on: every root event, of both kinds, read-only calls included
  # (the alert rules at the destination decide what to publish).
  root_event_pattern = {
    "detail-type" = [local.sign_in_detail_type, local.api_call_detail_type]
    detail = {
      userIdentity = {
        type      = ["Root"]
        invokedBy = [{ exists = false }]
      }
      eventType = [{ "anything-but" = "AwsServiceEvent" }]
    }
  }

  # Not a centralized root session: assumedRoot absent, or anything but "true" (an
  # anything-but alone would not match an event without the field).
  not_assumed_root = [
    { sessionContext = { assumedRoot = [{ exists = false }] } },
    { sessionContext = { assumedRoot = [{ "anything-but" = "true" }] } },
  ]

  # With read_only = false, an API call must be readOnly false (or carry no readOnly field, which
  # is alerted on rather than missed); sign-in events are never read-only calls. At the top
  # level, so that it can name the detail-type.
  read_only_filter = { for name, clauses in { "$or" = [{ "detail-type" = [local.sign_in_detail_type] }, { detail = { readOnly = [false] } }, { detail = { readOnly = [{ exists = false }] } }] } : name => clauses if !var.read_only }

  # The link to the event in the CloudTrail console of the account and region that logged it.
  # Event history shows an event a few minutes after EventBridge delivers it.
  event_link = "Event in CloudTrail (account <account>; event history shows it a few minutes after this alert): https://${var.console_domain}/cloudtrailv2/home?region=<region>#/events/<event_id>"

  suffix = var.message_suffix == "" ? "" : " ${var.message_suffix}"

  # Console sign-ins and other sign-in events: read-only calls do not apply.
  sign_in_alerts = {
    signin = {
      description = "Root user console sign-ins (Success), not centralized root sessions"
      event_pattern = {
        "detail-type" = [local.sign_in_detail_type]
        detail = {
          eventName        = ["ConsoleLogin"]
          responseElements = { ConsoleLogin = ["Success"] }
          userIdentity     = { type = ["Root"], invokedBy = [{ exists = false }], "$or" = local.not_assumed_root }
          eventType        = [{ "anything-but" = "AwsServiceEvent" }]
        }
      }
      input_paths = {
        account  = "$.account"
        region   = "$.detail.awsRegion"
        time     = "$.detail.eventTime"
        ip       = "$.detail.sourceIPAddress"
        agent    = "$.detail.userAgent"
        event_id = "$.detail.eventID"
        mfa      = "$.detail.additionalEventData.MFAUsed"
      }
      input_template = "\"Root user signed in to the AWS Management Console of account <account>: sign-in recorded in <region> at <time>, MFA used: <mfa>, from <ip> with user agent <agent>. This was the root user itself, not a centralized root session (sts:AssumeRoot). If nobody planned this sign-in, treat it as an incident: the root user can do anything in the account, closing it included.${local.suffix} ${local.event_link}\""
    }

    failed = {
      description = "Failed root user console sign-ins, not centralized root sessions"
      event_pattern = {
        "detail-type" = [local.sign_in_detail_type]
        detail = {
          eventName        = ["ConsoleLogin"]
          responseElements = { ConsoleLogin = ["Failure"] }
          userIdentity     = { type = ["Root"], invokedBy = [{ exists = false }], "$or" = local.not_assumed_root }
          eventType        = [{ "anything-but" = "AwsServiceEvent" }]
        }
      }
      input_paths = {
        account  = "$.account"
        region   = "$.detail.awsRegion"
        time     = "$.detail.eventTime"
        ip       = "$.detail.sourceIPAddress"
        agent    = "$.detail.userAgent"
        event_id = "$.detail.eventID"
        mfa      = "$.detail.additionalEventData.MFAUsed"
      }
      input_template = "\"Failed root user sign-in to the AWS Management Console of account <account>: recorded in <region> at <time>, MFA used: <mfa>, from <ip> with user agent <agent>. A failed root sign-in is worth an alert too: someone knows the root user's e-mail address and tried to sign in as root. Check that the root user has MFA and a long unique password (or no password at all, with centralized root access), and watch for password recovery events. Not a centralized root session (sts:AssumeRoot).${local.suffix} ${local.event_link}\""
    }

    signevent = {
      description = "Other root user sign-in events (password change or recovery, MFA check, ...), not centralized root sessions"
      event_pattern = {
        "detail-type" = [local.sign_in_detail_type]
        detail = {
          # Everything the two console sign-in alerts do not take.
          "$or" = [
            { eventName = [{ "anything-but" = "ConsoleLogin" }] },
            { responseElements = { ConsoleLogin = [{ "anything-but" = ["Success", "Failure"] }] } },
            { responseElements = { ConsoleLogin = [{ exists = false }] } },
          ]
          userIdentity = { type = ["Root"], invokedBy = [{ exists = false }], "$or" = local.not_assumed_root }
          eventType    = [{ "anything-but" = "AwsServiceEvent" }]
        }
      }
      input_paths = {
        account    = "$.account"
        region     = "$.detail.awsRegion"
        time       = "$.detail.eventTime"
        ip         = "$.detail.sourceIPAddress"
        agent      = "$.detail.userAgent"
        event_id   = "$.detail.eventID"
        event_name = "$.detail.eventName"
      }
      input_template = "\"Root user sign-in event <event_name> in account <account>: recorded in <region> at <time>, from <ip> with user agent <agent>. Sign-in events other than a console sign-in are, for example, a password change, a password recovery or an MFA check: any of them means someone is working with the root user's credentials. Not a centralized root session (sts:AssumeRoot).${local.suffix} ${local.event_link}\""
    }
  }

  # API calls: read_only decides about read-only ones.
  api_alerts = {
    api = {
      description = "Root user API calls, not centralized root sessions"
      event_pattern = {
        "detail-type" = [local.api_call_detail_type]
        detail = {
          userIdentity = { type = ["Root"], invokedBy = [{ exists = false }], "$or" = local.not_assumed_root }
          eventType    = [{ "anything-but" = "AwsServiceEvent" }]
        }
      }
      input_paths = {
        account      = "$.account"
        region       = "$.detail.awsRegion"
        time         = "$.detail.eventTime"
        ip           = "$.detail.sourceIPAddress"
        agent        = "$.detail.userAgent"
        event_id     = "$.detail.eventID"
        event_name   = "$.detail.eventName"
        event_source = "$.detail.eventSource"
        access_key   = "$.detail.userIdentity.accessKeyId"
      }
      input_template = "\"Root user called <event_name> on <event_source> in account <account>: region <region>, at <time>, from <ip> with user agent <agent>, access key <access_key>. This was the root user itself, not a centralized root session (sts:AssumeRoot); a key starting with AKIA is a long-term root access key, which should not exist. If nobody planned this call, treat it as an incident.${local.suffix} ${local.event_link}\""
    }

    assumed = {
      description = "Events of centralized root sessions (sts:AssumeRoot)"
      event_pattern = {
        "detail-type" = [local.sign_in_detail_type, local.api_call_detail_type]
        detail = {
          userIdentity = { type = ["Root"], invokedBy = [{ exists = false }], sessionContext = { assumedRoot = ["true"] } }
          eventType    = [{ "anything-but" = "AwsServiceEvent" }]
        }
      }
      input_paths = {
        account      = "$.account"
        region       = "$.detail.awsRegion"
        time         = "$.detail.eventTime"
        ip           = "$.detail.sourceIPAddress"
        agent        = "$.detail.userAgent"
        event_id     = "$.detail.eventID"
        event_name   = "$.detail.eventName"
        event_source = "$.detail.eventSource"
        access_key   = "$.detail.userIdentity.accessKeyId"
      }
      input_template = "\"Centralized root session (sts:AssumeRoot) in account <account>: <event_name> on <event_source>, region <region>, at <time>, from <ip> with user agent <agent>, session key <access_key>. The session was opened from the management account or the IAM delegated administrator for one root task, which the AssumeRoot call there names (requestParameters.taskPolicyArn). This is the sanctioned way to do root tasks in member accounts: check that the task was planned. The rule counts such sessions as root use only with count_centralized_root_sessions.${local.suffix} ${local.event_link}\""
    }
  }

  # CloudWatch sends an alarm's state changes to the default bus of its region (CloudWatch User
  # Guide, "Alarm events and EventBridge"); the forwarding alarms' state changes are forwarded
  # like the root events. Only ALARM, and OK after ALARM: not the first OK after creation.
  forwarding_alarm_alert = {
    description = "State changes of the alarms on failed root event forwarding, from every region and account"
    event_pattern = {
      source        = ["aws.cloudwatch"]
      "detail-type" = ["CloudWatch Alarm State Change"]
      detail = {
        alarmName = [var.forwarding_alarm_name]
        "$or" = [
          { state = { value = ["ALARM"] } },
          { state = { value = ["OK"] }, previousState = { value = ["ALARM"] } },
        ]
      }
    }
    input_paths = {
      account = "$.account"
      region  = "$.region"
      state   = "$.detail.state.value"
      reason  = "$.detail.state.reason"
      time    = "$.time"
    }
    input_template = "\"Root activity alerts: forwarding from account <account>, region <region>, is now <state> (<time>). <reason> While this alarm is in ALARM, root events of that region may not reach this topic: check the EventBridge rule ${var.forwarding_rule_name} and its role there.\""
  }

  # What the alert rules get: the read-only filter on the API call alerts, and every rule on all
  # CloudTrail management events (a rule in plain ENABLED state does not match read-only
  # management events: EventBridge User Guide, "Receiving read-only management events from AWS
  # services").
  alerts = merge(
    {
      for key, alert in local.sign_in_alerts : key => {
        description    = alert.description
        event_pattern  = jsonencode(alert.event_pattern)
        input_paths    = alert.input_paths
        input_template = alert.input_template
        state          = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
      }
    },
    {
      for key, alert in local.api_alerts : key => {
        description    = alert.description
        event_pattern  = jsonencode(merge(alert.event_pattern, local.read_only_filter))
        input_paths    = alert.input_paths
        input_template = alert.input_template
        state          = "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"
      }
    },
    {
      "fwd-alarm" = {
        description    = local.forwarding_alarm_alert.description
        event_pattern  = jsonencode(local.forwarding_alarm_alert.event_pattern)
        input_paths    = local.forwarding_alarm_alert.input_paths
        input_template = local.forwarding_alarm_alert.input_template
        state          = "ENABLED"
      }
    },
  )

  # What the forwarding rules send on besides the root events: every state change of the
  # forwarding alarm.
  forwarding_alarm_source_pattern = {
    source        = ["aws.cloudwatch"]
    "detail-type" = ["CloudWatch Alarm State Change"]
    detail = {
      alarmName = [var.forwarding_alarm_name]
    }
  }

  # Which alerts are root activity (and so may trigger a re-evaluation of the rule).
  root_event_alert_keys = sort(concat(keys(local.sign_in_alerts), keys(local.api_alerts)))
}
