/**
 * The rule registry: every rule of the checker, ordered by id. Internal: the public view is
 * `LoopbackChecker.rules()`.
 */
import { LoopbackRule } from './rule';
import { TKE_ANN_001 } from './tke-ann-001';
import { TKE_ANN_002 } from './tke-ann-002';
import { TKE_ANN_003 } from './tke-ann-003';
import { TKE_CFG_001 } from './tke-cfg-001';
import { TKE_CLB_001 } from './tke-clb-001';
import { TKE_DNS_001 } from './tke-dns-001';
import { TKE_INT_001 } from './tke-int-001';
import { TKE_L4_001 } from './tke-l4-001';
import { TKE_L4_002 } from './tke-l4-002';
import { TKE_L4_003 } from './tke-l4-003';
import { TKE_L7_001 } from './tke-l7-001';
import { TKE_L7_002 } from './tke-l7-002';
import { TKE_L7_003 } from './tke-l7-003';
import { TKE_SUP_001 } from './tke-sup-001';
import { TKE_SUP_002 } from './tke-sup-002';
import { TKE_SVC_001 } from './tke-svc-001';

/** Every rule, ordered by id. */
export const RULES: readonly LoopbackRule[] = [
  TKE_ANN_001,
  TKE_ANN_002,
  TKE_ANN_003,
  TKE_CFG_001,
  TKE_CLB_001,
  TKE_DNS_001,
  TKE_INT_001,
  TKE_L4_001,
  TKE_L4_002,
  TKE_L4_003,
  TKE_L7_001,
  TKE_L7_002,
  TKE_L7_003,
  TKE_SUP_001,
  TKE_SUP_002,
  TKE_SVC_001,
].slice().sort((a, b) => (a.info.id < b.info.id ? -1 : a.info.id > b.info.id ? 1 : 0));
