import { RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface AlarmTopicProps {
  /**
   * The customer managed KMS key that encrypts the topic. CloudWatch must be allowed to use it
   * (kms:Decrypt and kms:GenerateDataKey* for cloudwatch.amazonaws.com): headroom adds that to a key defined in
   * this app, and cannot to an imported key's policy.
   * @default a new key with yearly rotation
   */
  readonly masterKey?: kms.IKey;
  /**
   * The topic's display name.
   * @default 'headroom alarms'
   */
  readonly displayName?: string;
}

/**
 * An SNS topic for headroom's alarms, encrypted with a customer managed KMS key whose policy lets CloudWatch
 * alarms publish to it, and refusing requests without SSL. (The AWS managed `alias/aws/sns` key cannot be used:
 * its policy cannot be changed to let CloudWatch in, so alarm notifications to such a topic are silently lost.)
 * headroom's constructs take any `sns.ITopic` as `alarmTopic`; this is one that passes cdk-nag's SNS2 and SNS3.
 */
export class AlarmTopic extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    this.key =
      props.masterKey ??
      new kms.Key(this, 'Key', {
        description: 'Encrypts headroom alarm notifications',
        enableKeyRotation: true,
        removalPolicy: RemovalPolicy.DESTROY,
      });
    this.key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new sns.Topic(this, 'Topic', { displayName: props.displayName ?? 'headroom alarms', masterKey: this.key, enforceSSL: true });
  }
}
