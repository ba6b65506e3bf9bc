/** Hand-written Corefiles that exercise every part of the grammar the parser must keep byte for byte. */

/** Several server blocks, comments, an existing rewrite, braces on their own lines, a quoted string. */
export const MULTI_BLOCK = [
  '# cluster DNS, edited by hand',
  '',
  'example.com:53 {',
  '    file /etc/coredns/example.db   # zone file',
  '    log',
  '}',
  '',
  '.:53 {',
  '    errors',
  '    health {',
  '        lameduck 5s',
  '    }',
  '    # legacy domain',
  '    rewrite name roc.oa.com server.prod.svc.cluster.local',
  '    ready',
  '    kubernetes cluster.local in-addr.arpa ip6.arpa {',
  '        pods insecure',
  '        fallthrough in-addr.arpa ip6.arpa',
  '    }',
  '    hosts {',
  '        10.0.0.1 "legacy host"',
  '        fallthrough',
  '    }',
  '    forward . /etc/resolv.conf',
  '    cache 30',
  '}',
  '',
  '.:5353',
  '{',
  '    whoami',
  '}',
  '',
].join('\n');

/** CRLF line endings, tabs, trailing spaces, inline blocks, no final newline, a quoted `{`. */
export const CRLF_TABS = [
  '.:53 {\t',
  '\terrors  ',
  '\thealth { lameduck 5s }',
  '\ttemplate IN A demo.example {',
  '\t\tanswer "{{ .Name }} 60 IN A 10.0.0.9"',
  '\t}',
  '\tkubernetes cluster.local {   ',
  '\t\tpods insecure',
  '\t}',
  '\tforward . 8.8.8.8 "1.1.1.1"',
  '}',
].join('\r\n');

/** Nested blocks two deep, a snippet, a dns:// key with two zones, comments after braces. */
export const NESTED = [
  '(common) {',
  '  errors',
  '}',
  'dns://.:53 dns://in-addr.arpa:53 { # main',
  '  import common',
  '  kubernetes cluster.local in-addr.arpa {',
  '    pods verified',
  '  }',
  '  view internal {',
  '    expr incidr(client_ip(), \'10.0.0.0/8\')',
  '  }',
  '  forward . 10.0.0.2 {',
  '    policy sequential',
  '    health_check 5s',
  '  }',
  '  rewrite stop {',
  '    name regex (.*)\\.legacy\\.corp {1}.prod.svc.cluster.local',
  '    answer name (.*)\\.prod\\.svc\\.cluster\\.local {1}.legacy.corp',
  '  }',
  '}',
  '',
  '',
].join('\n');

/** All hand-written fixtures, by name. */
export const HAND_WRITTEN: Record<string, string> = { MULTI_BLOCK, CRLF_TABS, NESTED };

/** k3s's default Corefile: an `import` inside the main block and one at the top level. */
export const K3S = `.:53 {
    errors
    health
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    hosts /etc/coredns/NodeHosts {
      ttl 60
      reload 15s
      fallthrough
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
    import /etc/coredns/custom/*.override
}
import /etc/coredns/custom/*.server
`;

/** AKS's default Corefile (relative import paths). */
export const AKS = `.:53 {
    errors
    ready
    health {
      lameduck 5s
    }
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
      ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
    import custom/*.override
}
import custom/*.server
`;

/** vcluster's default Corefile: "." on port 1053, an existing regex rewrite, a top-level import after a blank line. */
export const VCLUSTER = `.:1053 {
    errors
    health
    ready
    rewrite name regex .*\\.nodes\\.vcluster\\.com kubernetes.default.svc.cluster.local
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    hosts /etc/NodeHosts {
        ttl 60
        reload 15s
        fallthrough
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    loadbalance
}

import /etc/coredns/custom/*.server`;

/** Comma-separated server keys, also across lines, and two keys separated by a space. */
export const COMMA_KEYS = `.:53, .:5353 {
    errors
    kubernetes cluster.local
    forward . /etc/resolv.conf
}
example.com:53,
  example.org:53 {
    log
}
`;

/** Amazon EKS's CoreDNS add-on Corefile (its `health` block closes with a mis-indented brace). */
export const EKS = `.:53 {
    errors
    health {
        lameduck 5s
      }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    prometheus :9153
    forward . /etc/resolv.conf
    cache 30
    loop
    reload
    loadbalance
}
`;

/**
 * OpenShift's DNS operator Corefile: "." on port 5353, a zone forwarded to another server first, a
 * `log` block, and a second block for `hostname.bind`.
 */
export const OPENSHIFT = `# corp.example.com
corp.example.com:5353 {
    prometheus 127.0.0.1:9153
    forward . 10.0.0.10 10.0.0.11 {
        policy round_robin
    }
    errors
    log . {
        class error
    }
    bufsize 1232
    cache 900 {
        denial 9984 30
    }
}
.:5353 {
    bufsize 1232
    errors
    log . {
        class error
    }
    health {
        lameduck 20s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    prometheus 127.0.0.1:9153
    forward . /etc/resolv.conf {
        policy sequential
    }
    cache 900 {
        denial 9984 30
    }
    reload
}
hostname.bind:5353 {
    chaos
}
`;

/** Huawei Cloud CCE's Corefile: "." on port 5353 bound to the pod IP through an environment variable. */
export const CCE = `.:5353 {
    bind {$POD_IP}
    cache 30
    errors
    health {$POD_IP}:8080
    kubernetes cluster.local in-addr.arpa ip6.arpa {
      pods insecure
      fallthrough in-addr.arpa ip6.arpa
    }
    loadbalance round_robin
    prometheus {$POD_IP}:9153
    forward . /etc/resolv.conf {
      policy random
    }
    reload
    ready {$POD_IP}:8081
}
`;

/** minikube's Corefile: a \`hosts {}\` block that names the host machine, and \`log\`. */
export const MINIKUBE = `.:53 {
    log
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    hosts {
       192.168.49.1 host.minikube.internal
       fallthrough
    }
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

/** RKE2's Corefile as its Helm chart renders it: trailing spaces and runs of spaces between words. */
export const RKE2 = `.:53 {
    errors 
    health  {
        lameduck 5s
    }
    ready 
    kubernetes   cluster.local  cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus   0.0.0.0:9153
    forward   . /etc/resolv.conf
    cache   30
    loop 
    reload 
    loadbalance 
}
`;

/** A cluster domain taken from an environment variable, substituted when CoreDNS starts. */
export const ENV_DOMAIN = `.:53 {
    errors
    kubernetes {$CLUSTER_DOMAIN} in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
    }
    forward . /etc/resolv.conf
}
`;

/** A single server block without braces, which CoreDNS accepts (it runs to the end of the file). */
export const NO_BRACES = `.:53
errors
kubernetes cluster.local in-addr.arpa ip6.arpa
forward . /etc/resolv.conf
cache 30
`;

/** Real-world Corefiles the model must read and edit. */
export const REAL_WORLD: Record<string, string> = {
  K3S,
  AKS,
  VCLUSTER,
  EKS,
  OPENSHIFT,
  CCE,
  MINIKUBE,
  RKE2,
  ENV_DOMAIN,
  NO_BRACES,
  COMMA_KEYS,
  SPACE_KEYS: '.:53 dns://.:5353 {\n    kubernetes cluster.local\n}\n',
};
