"""A full, read-only or otherwise unwritable disk, told as what it is: the folder, what the build
needed there, and that the published site was left as it was (exit status 1, not a traceback).

The build writes into a staging folder beside the output folder and into the site's `.cache/`;
an OSError there leaves the old site in place (write/output.py removes the staging folder)."""
from __future__ import annotations

import errno
import os
from pathlib import Path

_WHY = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EFBIG: "文件超过了文件系统允许的大小",
    errno.EROFS: "所在的文件系统是只读的",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "不允许写入（权限或文件属性）",
    errno.EXDEV: "暂存文件夹与输出文件夹不在同一个文件系统上（输出文件夹是挂载点？）",
    errno.EBUSY: "文件夹正被占用（输出文件夹本身是挂载点时无法整体替换）",
}


def _size(folder: Path) -> int:
    total = 0
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                pass
    return total


def explain(exc: OSError, output: Path | None) -> str | None:
    """The message for a disk problem, or None when `exc` is not one (then it is a bug: traceback)."""
    why = _WHY.get(exc.errno)
    if why is None:
        return None
    name = getattr(exc, "filename2", None) or exc.filename      # (a copy names its source first)
    where = Path(os.fsdecode(name)) if name else output
    folder = where if where is None or where.is_dir() else where.parent
    need = ""
    if output is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        size = _size(output) if output.is_dir() else 0
        need = (f"；构建需要在 {output.resolve().parent} 中暂存一份完整的新网站"
                + (f"（约 {max(size, 1) / 1048576:.1f} MB，与现有网站相当）" if size else "")
                + "，并在站点的 .cache 文件夹中保存构建记录")
    elif exc.errno in (errno.EXDEV, errno.EBUSY) and output is not None:
        folder = output
        need = f"；构建要整体替换输出文件夹，请把 --output 指向挂载点里面的一个子文件夹，例如 {output / 'site'}"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        need = "；构建需要写入输出文件夹所在的文件夹（暂存新网站）和站点的 .cache 文件夹"
    return (f"错误：无法写入 {folder or '输出文件夹'}：{why}{need}。"
            f"已发布的网站保持不变；请腾出空间或改正权限后重试（或用 --output 指定其他位置）。")
