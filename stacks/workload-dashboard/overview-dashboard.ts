import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { InvalidPropError } from '../common/prop-validation.ts';
import type { WorkloadDashboard } from './workload-dashboard.ts';
import { recordShared } from '../common/footprint.ts';

export interface OverviewDashboardProps {
  /** The workloads to show side by side. */
  readonly workloads: readonly WorkloadDashboard[];
  /**
   * The dashboard's name.
   * @default 'headroom-overview'
   */
  readonly dashboardName?: string;
}

/** One dashboard across workloads: every workload's health at a glance, then its capacity against its walls. */
export class OverviewDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OverviewDashboardProps) {
    super(scope, id);
    recordShared(this);
    if (props.workloads.length === 0)
      throw new InvalidPropError('OverviewDashboard', 'workloads', 'is empty', 'Pass the WorkloadDashboards to show.');
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? 'headroom-overview',
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
