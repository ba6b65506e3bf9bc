import { LoopbackSafeIngressProps } from './props';
import { TkeServiceConfigBinding } from './tke-service-config-binding';
import { checkServiceConfigName, listenPortsAnnotation, REUSE_KEYS } from './validation';
import { annotationConflicts, RequiredAnnotation, throwProblems } from '../private/annotation-conflicts';
import { idAnnotationProblems, passToTargetProblems } from '../private/id-annotations';
import { validateBoolean, validateObjectName, MAX_NAME_LENGTH } from '../private/ingress-validation';
import { dns1123LabelProblem, throwIf } from '../private/k8s-names';
import { TkeAnnotations, TkeNames } from '../tke/annotations';
import { TkeIds } from '../tke/ids';

/*
 * The props of a `LoopbackSafeIngress` that become names and annotations, checked once in its constructor.
 * Not exported from the package.
 */

/** The suffix of the TkeServiceConfig name that the `EXPLICIT` binding derives from the Ingress name. */
const EXPLICIT_CONFIG_SUFFIX = '-loopback';

/** The annotations that every `LoopbackSafeIngress` of a kind writes with the same value, and why. */
const CLASS_ANNOTATION: RequiredAnnotation = { key: TkeAnnotations.INGRESS_CLASS, value: TkeNames.QCLOUD_INGRESS_CLASS, source: 'LoopbackSafeIngress (a TKE CLB Ingress)' };
const PASS_TO_TARGET_ANNOTATION: RequiredAnnotation = { key: TkeAnnotations.INGRESS_PASS_TO_TARGET, value: 'true', source: "'passToTarget'" };
const DIRECT_ACCESS_ANNOTATION: RequiredAnnotation = { key: TkeAnnotations.INGRESS_DIRECT_ACCESS, value: 'true', source: "'directAccess'" };
const AUTO_BINDING_ANNOTATION: RequiredAnnotation = { key: TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO, value: 'true', source: "'binding'" };

/** The hand-set annotations when `metadata.annotations` is unset (shared, never written). */
const NO_ANNOTATIONS: { readonly [key: string]: string } = Object.freeze({});

/** What the constructor derives from the props. */
export interface CheckedIngressProps {
  /** The name of the TkeServiceConfig. */
  readonly configName: string;
  /** The annotations the construct writes on the Ingress, each with the prop that needs it. */
  readonly required: readonly RequiredAnnotation[];
}

/**
 * Checks the props that the constructor turns into names and annotations, and returns them: the
 * TkeServiceConfig name, and the annotations the construct sets (a hand-set annotation that
 * contradicts one of them fails). `metadata` itself was checked before the Ingress was made;
 * `ingressName` is the name cdk8s gave the Ingress (`metadata.name`, else one generated from its path).
 */
export function checkIngressProps(props: LoopbackSafeIngressProps, binding: TkeServiceConfigBinding, ingressName: string): CheckedIngressProps {
  checkServiceConfigName(props.serviceConfigName, binding);
  if (props.internalSubnetId !== undefined) TkeIds.validateSubnetId(props.internalSubnetId, 'internalSubnetId');
  if (props.existingLoadBalancerId !== undefined) TkeIds.validateLoadBalancerId(props.existingLoadBalancerId, 'existingLoadBalancerId');
  const directAccess = props.directAccess === undefined ? false : validateBoolean(props.directAccess, 'directAccess');
  if (props.metadata?.namespace !== undefined) throwIf(dns1123LabelProblem(props.metadata.namespace, 'metadata.namespace'));
  const userAnnotations: { readonly [key: string]: string } = props.metadata?.annotations ?? NO_ANNOTATIONS;
  // One list for the problems of every check below, thrown as soon as a check finds one.
  const problems = idAnnotationProblems(userAnnotations, TkeAnnotations.INGRESS_SUBNET_ID, TkeAnnotations.INGRESS_EXIST_LB_ID);
  throwProblems(problems);
  // pass-to-target works only on CLBs that TKE creates; it is mutually exclusive with a reused CLB.
  const reusedLoadBalancer = props.existingLoadBalancerId ?? userAnnotations[TkeAnnotations.INGRESS_EXIST_LB_ID];
  if (props.passToTarget !== undefined) validateBoolean(props.passToTarget, 'passToTarget');
  if (props.passToTarget === true && reusedLoadBalancer !== undefined) {
    throw new Error(
      `'passToTarget' is true, but ${props.existingLoadBalancerId !== undefined ? "'existingLoadBalancerId'" : `'metadata.annotations' (${TkeAnnotations.INGRESS_EXIST_LB_ID})`} ` +
        `reuses CLB ${JSON.stringify(reusedLoadBalancer)}: pass-to-target works only on CLBs that TKE creates and is ignored on a reused one. ` +
        "Leave 'passToTarget' unset (or false), and allow 100.127.0.0/16 in the CVM security group or turn on the CLB's own " +
        '"allow by default" setting in the CLB console',
    );
  }
  throwProblems(passToTargetProblems(
    props.existingLoadBalancerId === undefined
      ? userAnnotations
      : { ...userAnnotations, [TkeAnnotations.INGRESS_EXIST_LB_ID]: props.existingLoadBalancerId },
    TkeAnnotations.INGRESS_PASS_TO_TARGET, REUSE_KEYS, problems,
  ));
  const handPass = userAnnotations[TkeAnnotations.INGRESS_PASS_TO_TARGET];
  if (props.passToTarget === false && handPass !== undefined && handPass !== 'false') {
    throw new Error(
      `'passToTarget' is false, but 'metadata.annotations' sets ${TkeAnnotations.INGRESS_PASS_TO_TARGET}: ${JSON.stringify(handPass)}: remove one of them`,
    );
  }
  const passToTarget = props.passToTarget ?? reusedLoadBalancer === undefined;
  const listenPorts = listenPortsAnnotation(props.listenPorts, userAnnotations);
  const auto = binding === TkeServiceConfigBinding.AUTO;
  const bindingKey = auto ? TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO : TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG;
  const otherBindingKey = auto ? TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG : TkeAnnotations.INGRESS_TKE_SERVICE_CONFIG_AUTO;
  if (userAnnotations[otherBindingKey] !== undefined) {
    throw new Error(
      `'metadata.annotations' sets ${otherBindingKey}: ${JSON.stringify(userAnnotations[otherBindingKey])}, ` +
        `but 'binding' is ${binding.mode}, which sets ${bindingKey}; TKE forbids both on one Ingress`,
    );
  }

  validateObjectName(ingressName, 'metadata.name');
  const configName =
    binding === TkeServiceConfigBinding.AUTO
      ? `${ingressName}${TkeNames.AUTO_INGRESS_CONFIG_SUFFIX}`
      : props.serviceConfigName ?? `${ingressName}${EXPLICIT_CONFIG_SUFFIX}`;
  if (configName.length > MAX_NAME_LENGTH) {
    throw new Error(
      `the TkeServiceConfig name derived from 'metadata.name' ${JSON.stringify(ingressName)} is ${configName.length} characters, ` +
        `more than ${MAX_NAME_LENGTH}: shorten the Ingress name${binding === TkeServiceConfigBinding.EXPLICIT ? " or set 'serviceConfigName'" : ''}`,
    );
  }

  // The entries whose value is fixed are shared by every Ingress (fewer objects per Ingress to build and collect).
  // Kept for the life of the Ingress: a list of its exact length, filled by index (not grown by push()).
  const subnetId = props.internalSubnetId;
  const loadBalancerId = props.existingLoadBalancerId;
  const required = new Array<RequiredAnnotation>(2 + (subnetId !== undefined ? 1 : 0) + (loadBalancerId !== undefined ? 1 : 0) +
    (passToTarget ? 1 : 0) + (directAccess ? 1 : 0) + (listenPorts !== undefined ? 1 : 0));
  let n = 0;
  required[n++] = CLASS_ANNOTATION;
  if (subnetId !== undefined) required[n++] = { key: TkeAnnotations.INGRESS_SUBNET_ID, value: subnetId, source: "'internalSubnetId'" };
  if (loadBalancerId !== undefined) required[n++] = { key: TkeAnnotations.INGRESS_EXIST_LB_ID, value: loadBalancerId, source: "'existingLoadBalancerId'" };
  if (passToTarget) required[n++] = PASS_TO_TARGET_ANNOTATION;
  if (directAccess) required[n++] = DIRECT_ACCESS_ANNOTATION;
  if (listenPorts !== undefined) required[n++] = { key: TkeAnnotations.INGRESS_LISTEN_PORTS, value: listenPorts, source: "'listenPorts'" };
  required[n++] = auto ? AUTO_BINDING_ANNOTATION : { key: bindingKey, value: configName, source: "'binding'" };
  throwProblems(annotationConflicts(required, userAnnotations, problems));
  return { configName, required };
}
