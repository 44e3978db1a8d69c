// A plain <div> that is its own Vue component: NiceGUI renders native-tag elements inside the render of their
// nearest component ancestor, so without a boundary an update to one element re-renders every sibling subtree up to
// that ancestor. Inside a boundary, an update re-renders only the boundary's own children.
export default {
  template: "<div><slot></slot></div>",
};
