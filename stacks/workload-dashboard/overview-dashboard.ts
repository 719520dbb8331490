import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { InvalidPropError } from '../common/prop-validation.ts';
import { deploymentDashboardName, requireDashboardName } from './dashboard-name.ts';
import type { WorkloadDashboard } from './workload-dashboard.ts';
import { checkDeployLimits } from '../common/deploy-limits.ts';
import { recordShared } from '../common/footprint.ts';

export interface OverviewDashboardProps {
  /** The workloads to show side by side. */
  readonly workloads: readonly WorkloadDashboard[];
  /**
   * The dashboard's name. Dashboards are global per account: a name you choose must differ per region and stage.
   * @default `headroom-overview-<stack name>-<region>`, unique to the deployment
   */
  readonly dashboardName?: string;
}

/** One dashboard across workloads: every workload's health at a glance, then its capacity against its walls. */
export class OverviewDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OverviewDashboardProps) {
    super(scope, id);
    checkDeployLimits(this);
    recordShared(this);
    if (props.workloads.length === 0)
      throw new InvalidPropError('OverviewDashboard', 'workloads', 'is empty', 'Pass the WorkloadDashboards to show.');
    if (props.dashboardName !== undefined) requireDashboardName('OverviewDashboard', 'dashboardName', props.dashboardName);
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? deploymentDashboardName(this, 'overview'),
      widgets: [
        [
          new cloudwatch.AlarmStatusWidget({
            title: 'Workload health',
            alarms: props.workloads.map((workload) => workload.unhealthyStatus),
            width: 24,
            height: 3,
          }),
        ],
        props.workloads.map((workload) => workload.capacityWidgetForOverview()),
      ],
    });
  }
}
