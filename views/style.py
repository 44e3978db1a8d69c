"""The few utility classes the views use, as a static stylesheet instead of NiceGUI's Tailwind runtime.

The Tailwind browser build compiles CSS in the page by watching every DOM change; measured on the 2-core dev machine
it delayed the socket connection of a cold load by about 200 ms. The views use a fixed, small set of Tailwind-named
utilities (plus Quasar's colour classes), so they are spelled out here once and the app runs with
``tailwind=False``. A class used in the views but missing here simply has no effect, so keep the two in step.
Quasar's own flex helpers (``items-center``, ``no-wrap``) sit in a CSS layer below NiceGUI's row/column rules and
lose to them, which is why they are repeated here; unlayered rules win over every layer.
"""

from __future__ import annotations

_SPACING = {'0': '0', '1': '0.25rem', '2': '0.5rem', '3': '0.75rem', '4': '1rem', '6': '1.5rem'}


def _spacing_rules() -> str:
    rules = []
    for key, size in _SPACING.items():
        rules.append(f'.gap-{key}{{gap:{size}}}')
        rules.append(f'.gap-x-{key}{{column-gap:{size}}}.gap-y-{key}{{row-gap:{size}}}')
        rules.append(f'.p-{key}{{padding:{size}}}.pt-{key}{{padding-top:{size}}}')
        rules.append(f'.px-{key}{{padding-left:{size};padding-right:{size}}}')
        rules.append(f'.py-{key}{{padding-top:{size};padding-bottom:{size}}}')
    return '\n'.join(rules)


UTILITIES_CSS = _spacing_rules() + r'''
body{--q-primary:#1565c0 !important}  /* over NiceGUI's default brand colour, set inline */
/* light.TextInput: a native field dressed as Quasar's dense outlined one, label floated (before the utilities,
   so that font-mono / text-sm on the field win) */
.ocrw-text{display:flex;flex-direction:column;justify-content:center;width:100%;min-height:40px;padding:0 12px;
  border:1px solid rgba(0,0,0,.24);border-radius:4px;cursor:text;transition:border-color .2s,box-shadow .2s}
.ocrw-text:hover{border-color:rgba(0,0,0,.87)}
.ocrw-text:focus-within{border-color:var(--q-primary);box-shadow:inset 0 0 0 1px var(--q-primary)}
.ocrw-text-label{font-size:11px;line-height:14px;padding-top:4px;color:rgba(0,0,0,.6);white-space:nowrap;
  overflow:hidden;text-overflow:ellipsis}
.ocrw-text:focus-within .ocrw-text-label{color:var(--q-primary)}
.ocrw-text:has(> [aria-invalid="true"]){border-color:var(--q-negative);box-shadow:inset 0 0 0 1px var(--q-negative)}
.ocrw-text:has(> [aria-invalid="true"]) .ocrw-text-label{color:var(--q-negative)}
.ocrw-text-input{border:0;outline:0;margin:0;padding:2px 0 5px;background:transparent;color:rgba(0,0,0,.87);
  font-family:inherit;font-size:14px;line-height:20px;width:100%;min-width:0}
.ocrw-text-input::placeholder{color:rgba(0,0,0,.45)}
.ocrw-text--multiline{padding:8px 12px}
.ocrw-text--multiline .ocrw-text-input{padding:0;resize:vertical;field-sizing:content;min-height:40px}
.items-center{align-items:center}.items-start{align-items:flex-start}.items-end{align-items:flex-end}
.items-baseline{align-items:baseline}.no-wrap{flex-wrap:nowrap}.overflow-x-auto{overflow-x:auto}
.w-full{width:100%}.w-5{width:1.25rem}.w-48{width:12rem}.h-8{height:2rem}.h-56{height:14rem}.h-64{height:16rem}
.min-w-0{min-width:0}.max-w-\[1600px\]{max-width:1600px}.mx-auto{margin-left:auto;margin-right:auto}
.flex-1{flex:1 1 0%}.shrink-0{flex-shrink:0}.flex-wrap{flex-wrap:wrap}
.grid-cols-1{grid-template-columns:repeat(1,minmax(0,1fr))}
.text-xs{font-size:.75rem;line-height:1rem}.text-sm{font-size:.875rem;line-height:1.25rem}
.text-base{font-size:1rem;line-height:1.5rem}.text-lg{font-size:1.125rem;line-height:1.75rem}
.text-2xl{font-size:1.5rem;line-height:2rem}.text-\[11px\]{font-size:11px}
.font-medium{font-weight:500}.font-semibold{font-weight:600}
.font-mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
.leading-snug{line-height:1.375}.tracking-wide{letter-spacing:.025em}.uppercase{text-transform:uppercase}
.truncate{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;max-width:100%}.break-all{word-break:break-all}
.whitespace-pre-line{white-space:pre-line}.whitespace-pre-wrap{white-space:pre-wrap}
.no-underline{text-decoration:none}.opacity-70{opacity:.7}.rounded{border-radius:.25rem}
.border-2{border-width:2px;border-style:solid}.border-positive{border-color:var(--q-positive)}
.hover\:bg-grey-2:hover{background:#eeeeee}.hover\:bg-grey-3:hover{background:#e0e0e0}
.\@container{container-type:inline-size}
@container (min-width:32rem){.\@lg\:grid-cols-2{grid-template-columns:repeat(2,minmax(0,1fr))}}
@container (min-width:56rem){.\@4xl\:grid-cols-3{grid-template-columns:repeat(3,minmax(0,1fr))}}
@media (max-width:39.99rem){.max-sm\:hidden{display:none}}
@media (max-width:47.99rem){.max-md\:flex-wrap{flex-wrap:wrap}}
@media (max-width:63.99rem){.max-lg\:flex-wrap{flex-wrap:wrap}}
@media (min-width:64rem){
  .lg\:grid-cols-2{grid-template-columns:repeat(2,minmax(0,1fr))}
  .lg\:w-\[380px\]{width:380px}.lg\:w-\[520px\]{width:520px}.lg\:sticky{position:sticky}.lg\:top-16{top:4rem}
  .lg\:self-start{align-self:flex-start}
}
.ocrw-boundary{min-width:0;max-width:100%}
.ocrw-field:has(> .hidden){display:none}
'''
