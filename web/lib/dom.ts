// Typed DOM building blocks for the pages' scripts. Elements are looked up by id together with the
// type the script expects, so a page whose markup and script disagree fails at start with the id in
// the message, not later as "cannot read properties of null".

export type AttrValue = string | number | boolean | null | undefined;
/** Attributes to set; `text` sets the text content; null, undefined and false leave one out. */
export type Attrs = Record<string, AttrValue>;
export type Child = Node | string | null | undefined;

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The element with this id, checked to be of the given type (HTMLInputElement, SVGSVGElement…). */
export function byId<T extends Element>(id: string, type: abstract new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`#${id} is missing or not a ${type.name}`);
  return node;
}

/** The first element under `root` matching `selector`, checked to be of the given type. */
export function find<T extends Element>(root: ParentNode, selector: string, type: abstract new () => T): T {
  const node = root.querySelector(selector);
  if (!(node instanceof type)) throw new Error(`${selector} is missing or not a ${type.name}`);
  return node;
}

/** Every element under `root` matching `selector`, checked to be of the given type. */
export function findAll<T extends Element>(
  root: ParentNode,
  selector: string,
  type: abstract new () => T,
): T[] {
  return [...root.querySelectorAll(selector)].map((node) => {
    if (!(node instanceof type)) throw new Error(`${selector} matched a ${node.tagName}, not a ${type.name}`);
    return node;
  });
}

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  return fill(document.createElement(tag), attrs, children);
}

export function sv<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): SVGElementTagNameMap[K] {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Adds a listener and returns the element, so that a handler can be attached inside a tree. */
export function on<E extends HTMLElement, K extends keyof HTMLElementEventMap>(
  node: E,
  type: K,
  listener: (event: HTMLElementEventMap[K]) => void,
): E {
  node.addEventListener(type, listener);
  return node;
}

function fill<E extends Element>(node: E, attrs: Attrs, children: Child[]): E {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

/**
 * A translated message whose {placeholders} are elements (a bold figure, a link): the text around
 * them and the nodes, in the message's order, to append as children. Other placeholders stay as written.
 */
export function layout(message: string, slots: Record<string, Node>): Child[] {
  return message
    .split(/(\{\w+\})/)
    .filter((part) => part !== '')
    .map((part) => {
      const name = /^\{(\w+)\}$/.exec(part)?.[1];
      return name !== undefined && Object.hasOwn(slots, name) ? slots[name] : part;
    });
}
