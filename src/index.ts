export * from './tke';
export * from './checks';
export * from './ingress';
export * from './service';
export * from './coredns';
export * from './coredns-rewrite';
export * from './fix';
