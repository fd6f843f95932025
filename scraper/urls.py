"""URLs: normalisation before de-duplication, same-site tests and the private-address guard.

Normalising is deliberately conservative: it only removes what cannot change the page served (fragments,
tracking parameters, default ports, case of scheme and host), so two URLs that normalise alike are the
same page.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that only track the visitor (analytics, ad clicks, newsletters, social shares).
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "ttclid",
        "li_fat_id",
        "mc_cid",
        "mc_eid",
        "igshid",
        "_ga",
        "_gl",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "vero_conv",
        "rb_clickid",
        "s_cid",
        "wt_mc",
        "wt.mc_id",
        "ncid",
        "cmpid",
        "ocid",
        "spm",
        "__twitter_impression",
        "ref_src",
        "ref_url",
        "at_medium",
        "at_campaign",
    }
)
#: Prefixes of tracking parameter families (utm_source, utm_medium, pk_campaign, ...).
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_", "ga_", "__hs")

_DEFAULT_PORTS = {"http": 80, "https": 443}
# Characters left unescaped in paths and queries: RFC 3986 reserved + unreserved, plus '%' (kept escapes).
_SAFE_PATH = "/:@!$&'()*+,;=-._~%"
_SAFE_QUERY = _SAFE_PATH + "?"


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical spelling of ``url`` (resolved against ``base``), or None if it is not a web page URL.

    Drops the fragment and tracking parameters, lowercases scheme and host (IDNA for non-ASCII hosts),
    removes the default port, gives an empty path ``/``. Non-HTTP schemes (mailto:, javascript:, tel:,
    data:...) and unparsable URLs give None.
    """
    url = url.strip()
    if not url:
        return None
    try:
        if base:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            return None
        host = (parts.hostname or "").rstrip(".")
        if not host:
            return None
        port = parts.port
    except ValueError:  # bad port, bad IPv6 literal
        return None
    try:
        host = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port is None or port == _DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = quote(parts.path, safe=_SAFE_PATH) if parts.path else "/"
    if not path.startswith("/"):
        path = "/" + path
    query = ""
    if parts.query:
        pairs = [
            (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)
        ]
        query = urlencode(pairs, quote_via=quote, safe=_SAFE_QUERY.replace("&", "").replace("=", ""))
    return urlunsplit((scheme, netloc, path, query, ""))


def host_of(url: str) -> str:
    """The host key a URL is scheduled under: lowercase host plus a non-default port."""
    return urlsplit(url).netloc.lower()


def site_key(host: str) -> str:
    """The host without port and without a leading ``www.``: ``www.example.com:8080`` -> ``example.com``."""
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name[4:] if name.startswith("www.") else name


def same_site(url: str, hosts: set[str]) -> bool:
    """True if ``url`` is on one of ``hosts`` (host keys), treating ``www.`` as the same site.

    The port must match too: two servers on one machine are two sites.
    """
    host = host_of(url)
    if host in hosts:
        return True
    port = _port_suffix(host)
    return any(site_key(host) == site_key(h) and port == _port_suffix(h) for h in hosts)


def _port_suffix(host: str) -> str:
    if host.endswith("]") or ":" not in host:
        return ""
    return host.rsplit(":", 1)[1]


def is_private_ip(address: str) -> bool:
    """True for loopback, private, link-local, reserved, multicast, unspecified and other non-global
    addresses (carrier-grade NAT 100.64.0.0/10 is not "private" to ``ipaddress``, but not public either)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        not ip.is_global
        or ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


async def resolves_private(hostname: str) -> bool:
    """True if ``hostname`` is, or resolves to, any non-public address. Unresolvable names give False
    (the fetch itself will then fail with a connection error, which is reported as such)."""
    hostname = hostname.strip("[]").lower()
    if hostname == "localhost" or hostname.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(hostname.split("%", 1)[0])
        return is_private_ip(hostname)
    except ValueError:
        pass
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(hostname, None, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return any(is_private_ip(str(info[4][0])) for info in infos)


def hostname_of(url: str) -> str:
    """The bare host name (no port, no brackets)."""
    return (urlsplit(url).hostname or "").lower()
