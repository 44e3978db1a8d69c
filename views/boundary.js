// A plain <div> that is its own Vue component: NiceGUI renders native-tag elements inside the render of their
// nearest component ancestor, so without a boundary an update to one element re-renders every sibling subtree up to
// that ancestor. Inside a boundary, an update re-renders only the boundary's own children.
// A render function rather than a template: nothing for Vue's template compiler to do when a page loads.
import { h } from "vue";

export default {
  render() {
    return h("div", this.$slots.default ? this.$slots.default() : []);
  },
};
