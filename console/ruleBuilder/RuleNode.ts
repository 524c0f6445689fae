// One node of the rule tree, shown by its kind. Groups (all / any / not) hold further nodes.
import { html } from 'htm/preact';
import type { Rule } from '../../core/rules/Rule.js';
import { kindOf } from './ruleDraft.js';
import { UsersNode } from './UsersNode.js';
import { PercentNode } from './PercentNode.js';
import { AttrNode } from './AttrNode.js';
import { IpNode } from './IpNode.js';
import { GroupNode } from './GroupNode.js';
import { NotNode } from './NotNode.js';

export interface NodeProps {
  rule: Rule;
  onChange: (r: Rule) => void;
  /** Unique prefix for the ids of this node's controls. */
  id: string;
}

export function RuleNode(props: NodeProps) {
  const { rule } = props;
  switch (kindOf(rule)) {
    case 'users': return html`<${UsersNode} ...${props} />`;
    case 'percent': return html`<${PercentNode} ...${props} />`;
    case 'ip': return html`<${IpNode} ...${props} />`;
    case 'attr': return html`<${AttrNode} ...${props} />`;
    case 'not': return html`<${NotNode} ...${props} />`;
    default: return html`<${GroupNode} ...${props} />`;
  }
}
