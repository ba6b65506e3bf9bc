import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';

/** The image the examples run; it stands in for your own. */
export const NGINX_IMAGE = 'nginxinc/nginx-unprivileged:1.27-alpine';

/** The port nginx-unprivileged serves HTTP on. */
export const NGINX_PORT = 8080;

/**
 * A container that would serve if applied: nginx-unprivileged listens on 8080 as user 101 and writes
 * only to /tmp, mounted here as an emptyDir, so it runs with cdk8s-plus's defaults (runAsNonRoot and a
 * read-only root filesystem). `id` names the volume construct, so it must be unique in `scope`.
 */
export function nginxContainer(scope: Construct, id: string): kplus.ContainerProps {
  return {
    image: NGINX_IMAGE,
    portNumber: NGINX_PORT,
    volumeMounts: [{ path: '/tmp', volume: kplus.Volume.fromEmptyDir(scope, `${id}-tmp`, 'tmp') }],
  };
}
