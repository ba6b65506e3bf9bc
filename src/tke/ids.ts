import { describeValue } from '../private/k8s-names';

const SUBNET_ID = /^subnet-[a-z0-9]{8}$/;
const LOAD_BALANCER_ID = /^lb-[a-z0-9]{8}$/;
/** The last value `TkeIds.isSubnetId()` accepted (a pure function of the string, so safe to remember). */
let lastSubnetId: string | undefined;

/**
 * Checks for the Tencent Cloud resource ids that TKE annotations carry.
 *
 * A wrong id in an annotation is not rejected by the API server: the controller fails later, in an
 * event nobody reads. These checks make the mistake fail at synth time instead.
 */
export class TkeIds {
  /**
   * Whether `value` looks like a VPC subnet id: `subnet-` followed by 8 lowercase letters or digits.
   *
   * @param value the id to check
   */
  public static isSubnetId(value: string): boolean {
    // An app uses one or a few subnets, checked for every Service and Ingress: remember the last good one.
    // `lastSubnetId` starts undefined: a value equal to it is a remembered id only once one was accepted.
    if (value === lastSubnetId && value !== undefined) return true;
    if (typeof value !== 'string' || !SUBNET_ID.test(value)) return false;
    lastSubnetId = value;
    return true;
  }

  /**
   * Whether `value` looks like a CLB instance id: `lb-` followed by 8 lowercase letters or digits.
   *
   * @param value the id to check
   */
  public static isLoadBalancerId(value: string): boolean {
    return typeof value === 'string' && LOAD_BALANCER_ID.test(value);
  }

  /**
   * Returns `value` when it is a subnet id, and throws otherwise. The error names `prop` and quotes
   * the value.
   *
   * @param value the id to check
   * @param prop the name of the property that carried the value, for the error message
   * @default prop 'subnetId'
   */
  public static validateSubnetId(value: string, prop?: string): string {
    if (!TkeIds.isSubnetId(value)) {
      throw new Error(`'${prop ?? 'subnetId'}' must look like subnet-xxxxxxxx (8 lowercase letters or digits), got ${describeValue(value)}`);
    }
    return value;
  }

  /**
   * Returns `value` when it is a CLB id, and throws otherwise. The error names `prop` and quotes the
   * value.
   *
   * @param value the id to check
   * @param prop the name of the property that carried the value, for the error message
   * @default prop 'loadBalancerId'
   */
  public static validateLoadBalancerId(value: string, prop?: string): string {
    if (!TkeIds.isLoadBalancerId(value)) {
      throw new Error(`'${prop ?? 'loadBalancerId'}' must look like lb-xxxxxxxx (8 lowercase letters or digits), got ${describeValue(value)}`);
    }
    return value;
  }

  private constructor() {}
}
