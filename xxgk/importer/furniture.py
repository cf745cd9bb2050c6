"""A portal's page furniture, which is not part of the document: breadcrumbs, navigation,
打印本页 / 关闭窗口, 字号 大 中 小, 浏览次数, share buttons, footers."""
from __future__ import annotations

import re

from .normalize import squash

# short lines that are only furniture
_WORDS = ("打印本页", "打印此页", "关闭窗口", "关闭本页", "【打印】", "【关闭】", "[打印]", "[关闭]", "【打印本页】",
          "【关闭窗口】", "打印", "关闭", "返回顶部", "回到顶部", "返回首页", "保存本页", "加入收藏", "设为首页",
          "收藏本页", "分享到", "分享", "扫一扫", "扫一扫在手机打开当前页", "用手机扫描二维码", "上一篇", "下一篇",
          "相关链接", "相关文章", "相关信息", "【字体：大中小】", "网站地图", "站点地图", "无障碍", "长者模式",
          "简体版", "繁体版", "繁體版", "English", "首页", "正文", ">", "-", "|", "»", "信息公开", "政府信息公开",
          "读取中", "【我要打印】", "【关闭窗口】", "打印文章", "手机版", "微信", "微博", "二维码")
_WORDS_SET = {squash(w) for w in _WORDS}
_PATTERNS = re.compile("|".join(f"(?:{p})" for p in (
    r"^(当前位置|您现在的位置|您的位置|所在位置|位置)[:：]",
    r"^首页\s*[>›»/＞]",
    r"[>›»＞]\s*正文$",
    r"字号[:：]?\s*[【\[]?\s*大\s*中\s*小",
    r"字体[:：]?\s*[【\[]?\s*大\s*中\s*小",
    r"^[【\[]?\s*大\s*中\s*小\s*[】\]]?$",
    r"(浏览次数|阅读次数|访问次数|点击数|点击次数|浏览量|访问量)\s*[:：]?\s*\d*",
    r"(打印本页|关闭窗口|打印此页|关闭本页)",
    r"^分享到",
    r"(ICP备|公网安备|网站标识码|网站识别码|版权所有|Copyright|©|(主办|承办)单位\s*[:：]|技术支持\s*[:：]|主办\s*[:：]|维护\s*[:：])",
    r"(关于本站|关于我们|联系我们|版权保护|隐私安全|隐私声明|站内搜索|网站地图|站点地图|辅助信息).{0,40}[|｜].*[|｜]",
    r"网站支持IPV6",
    r"^(上一篇|下一篇)[:：]",
)))
FURNITURE_MAX = 120


def is_furniture(text: str) -> bool:
    """True for a short line that is page furniture, never for a sentence of the document."""
    t = text.strip()
    if not t or len(t) > FURNITURE_MAX:
        return False
    if squash(t) in _WORDS_SET:
        return True
    if t.endswith("。") and len(t) > 30:
        return False
    return _PATTERNS.search(t) is not None


# class / id names of page parts that are furniture, in saved HTML pages
FURNITURE_CLASS_RE = re.compile(
    r"(^|[\s_-])(nav|navbar|menu|breadcrumbs?|crumbs?|bread|position|location|weizhi|dqwz|footer|foot|"
    r"bottom|share|bdshare|bdsharebuttonbox|toolbar|tools|sidebar|copyright|friendlink|links|print|"
    r"qrcode|ewm|search|login|topbar|header|skip)($|[\s_\d-])", re.I)
FURNITURE_TAGS = frozenset({"script", "style", "noscript", "iframe", "form", "button", "select", "input",
                            "textarea", "nav", "header", "footer", "aside", "object", "embed", "svg", "canvas",
                            "template", "audio", "video", "map", "head", "title", "meta", "link"})
