import { GongjikError } from '@gongjik/errors';
import { ANY_POLICY, type ParsedCertificate } from './cert.ts';

/** A node of the valid_policy_tree (RFC 5280 §6.1.2 (a)). Qualifiers are not kept. */
interface PolicyNode {
  readonly validPolicy: string;
  expected: Set<string>;
  readonly parent: PolicyNode | undefined;
  children: PolicyNode[];
}

export interface PolicyInput {
  /** user-initial-policy-set; absent means any-policy. */
  readonly initialPolicies?: readonly string[];
  readonly initialExplicitPolicy: boolean;
  readonly initialPolicyMappingInhibit?: boolean;
  readonly initialAnyPolicyInhibit?: boolean;
}

/**
 * Certificate policy processing of RFC 5280 §6.1 over `certs` (the path below the trust anchor,
 * ordered anchor-side first). Returns the valid policy OIDs of the leaf (in the leaf's policy
 * domain); throws ERR_PKI_POLICY when an explicit policy is required and none is valid.
 */
export class PolicyProcessor {
  private level: PolicyNode[] | undefined;
  private explicitPolicy: number;
  private policyMapping: number;
  private inhibitAnyPolicy: number;
  private readonly n: number;
  private readonly input: PolicyInput;

  constructor(n: number, input: PolicyInput) {
    this.n = n;
    this.input = input;
    const root: PolicyNode = {
      validPolicy: ANY_POLICY,
      expected: new Set([ANY_POLICY]),
      parent: undefined,
      children: [],
    };
    this.level = [root];
    this.explicitPolicy = input.initialExplicitPolicy ? 0 : n + 1;
    this.policyMapping = input.initialPolicyMappingInhibit ? 0 : n + 1;
    this.inhibitAnyPolicy = input.initialAnyPolicyInhibit ? 0 : n + 1;
  }

  /** §6.1.3 (d)–(f) for certificate number `i` (1-based). */
  process(i: number, cert: ParsedCertificate, details: Record<string, string | number>): void {
    const policies = cert.policies;
    if (this.level && policies) {
      const prev = this.level;
      const next: PolicyNode[] = [];
      const add = (parent: PolicyNode, policy: string) => {
        const node: PolicyNode = { validPolicy: policy, expected: new Set([policy]), parent, children: [] };
        parent.children.push(node);
        next.push(node);
      };
      for (const p of policies) {
        if (p === ANY_POLICY) continue;
        const matches = prev.filter((node) => node.expected.has(p));
        if (matches.length > 0) for (const node of matches) add(node, p);
        else for (const node of prev) if (node.validPolicy === ANY_POLICY) add(node, p);
      }
      if (policies.includes(ANY_POLICY) && (this.inhibitAnyPolicy > 0 || (i < this.n && cert.selfIssued))) {
        for (const node of prev) {
          const present = new Set(node.children.map((c) => c.validPolicy));
          for (const e of node.expected) if (!present.has(e)) add(node, e);
        }
      }
      this.level = next;
      this.prune();
    } else if (!policies) {
      this.level = undefined;
    }
    if (this.explicitPolicy === 0 && !this.level) {
      throw new GongjikError('ERR_PKI_POLICY', { ...details, reason: 'no valid policy' });
    }
  }

  /** §6.1.4 (a), (b), (h), (i), (j): preparation for the next certificate (`cert` is an intermediate). */
  prepare(cert: ParsedCertificate, details: Record<string, string | number>): void {
    const mappings = cert.policyMappings;
    if (mappings) {
      for (const [from, to] of mappings) {
        if (from === ANY_POLICY || to === ANY_POLICY) {
          throw new GongjikError('ERR_PKI_POLICY', { ...details, reason: 'anyPolicy in policy mappings' });
        }
      }
      if (this.level) {
        const byIssuer = new Map<string, Set<string>>();
        for (const [from, to] of mappings) {
          const set = byIssuer.get(from) ?? new Set<string>();
          set.add(to);
          byIssuer.set(from, set);
        }
        for (const [from, targets] of byIssuer) {
          const nodes: PolicyNode[] = this.level.filter((node) => node.validPolicy === from);
          if (this.policyMapping > 0) {
            if (nodes.length > 0) for (const node of nodes) node.expected = new Set(targets);
            else {
              const any = this.level.find((node) => node.validPolicy === ANY_POLICY);
              if (any?.parent) {
                const node: PolicyNode = {
                  validPolicy: from,
                  expected: new Set(targets),
                  parent: any.parent,
                  children: [],
                };
                any.parent.children.push(node);
                this.level.push(node);
              }
            }
          } else if (nodes.length > 0) {
            for (const node of nodes) {
              if (node.parent) node.parent.children = node.parent.children.filter((c) => c !== node);
            }
            this.level = this.level.filter((node) => !nodes.includes(node));
            this.prune();
          }
        }
      }
    }
    if (!cert.selfIssued) {
      if (this.explicitPolicy !== 0) this.explicitPolicy--;
      if (this.policyMapping !== 0) this.policyMapping--;
      if (this.inhibitAnyPolicy !== 0) this.inhibitAnyPolicy--;
    }
    const pc = cert.policyConstraints;
    if (pc?.requireExplicitPolicy !== undefined)
      this.explicitPolicy = Math.min(this.explicitPolicy, pc.requireExplicitPolicy);
    if (pc?.inhibitPolicyMapping !== undefined)
      this.policyMapping = Math.min(this.policyMapping, pc.inhibitPolicyMapping);
    if (cert.inhibitAnyPolicy !== undefined)
      this.inhibitAnyPolicy = Math.min(this.inhibitAnyPolicy, cert.inhibitAnyPolicy);
  }

  /** §6.1.5 (a), (b), (g) for the leaf; returns the valid policies. */
  finish(leaf: ParsedCertificate, details: Record<string, string | number>): string[] {
    if (this.explicitPolicy !== 0) this.explicitPolicy--;
    if (leaf.policyConstraints?.requireExplicitPolicy === 0) this.explicitPolicy = 0;
    const result = this.intersect();
    if (this.explicitPolicy === 0 && result.length === 0) {
      throw new GongjikError('ERR_PKI_POLICY', { ...details, reason: 'no acceptable policy' });
    }
    return result;
  }

  private intersect(): string[] {
    if (!this.level) return [];
    const initial = this.input.initialPolicies;
    const anyInitial = !initial || initial.includes(ANY_POLICY);
    const out = new Set<string>();
    for (const node of this.level) {
      if (anyInitial) {
        out.add(node.validPolicy);
        continue;
      }
      // The node of the valid_policy_node_set on this branch: the topmost non-anyPolicy ancestor.
      let top: PolicyNode | undefined;
      for (let n: PolicyNode | undefined = node; n; n = n.parent) if (n.validPolicy !== ANY_POLICY) top = n;
      if (!top) for (const p of initial) out.add(p);
      else if (initial.includes(top.validPolicy))
        out.add(node.validPolicy === ANY_POLICY ? top.validPolicy : node.validPolicy);
    }
    return [...out];
  }

  private prune(): void {
    if (!this.level) return;
    if (this.level.length === 0) {
      this.level = undefined;
      return;
    }
    // Remove childless ancestors, level by level, up to the root.
    let parents = new Set<PolicyNode>();
    for (const node of this.level) if (node.parent) parents.add(node.parent);
    // Walk upward: any node at a shallower depth with no children is dead.
    const deadCheck = (nodes: Set<PolicyNode>): Set<PolicyNode> => {
      const up = new Set<PolicyNode>();
      for (const node of nodes) {
        node.children = node.children.filter(
          (c: PolicyNode) => c.children.length > 0 || this.level?.includes(c),
        );
        if (node.parent) up.add(node.parent);
      }
      return up;
    };
    while (parents.size > 0) parents = deadCheck(parents);
  }
}
