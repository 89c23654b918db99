"""Lambert-93 (EPSG:2154) <-> WGS84 longitude/latitude, in pure Python.

SIRENE gives establishment coordinates in Lambert-93 for mainland France
(``coordonneeLambertAbscisseEtablissement``/``…OrdonneeEtablissement``).
Lambert-93 is a conic conformal projection with two standard parallels
(44° N and 49° N), origin 46.5° N 3° E, false easting 700 000 m and false
northing 6 600 000 m, on the GRS80 ellipsoid of RGF93, which equals WGS84 to
within a metre: no datum shift is needed. The constants are derived from that
definition (IGN, "Projection cartographique conique conforme de Lambert",
notes NT/G 71, algorithms ALG0001-ALG0004), so the functions round-trip to
well under a millimetre.

Overseas territories use other projections (EPSG 5490, 2972, 2975, 4471…);
:func:`sirene_to_wgs84` returns None for them, and callers fall back on the
commune centroid.

>>> lon, lat = lambert93_to_wgs84(700000, 6600000)
>>> round(lon, 9), round(lat, 9)
(3.0, 46.5)
"""

from __future__ import annotations

import math

__all__ = ["wgs84_to_lambert93", "lambert93_to_wgs84", "sirene_to_wgs84"]

# GRS80
_A = 6378137.0
_F = 1 / 298.257222101
_E = math.sqrt(2 * _F - _F * _F)
# Lambert-93 definition
_LON0 = math.radians(3.0)
_LAT0 = math.radians(46.5)
_LAT1 = math.radians(44.0)
_LAT2 = math.radians(49.0)
_X0 = 700000.0
_Y0 = 6600000.0


def _iso_lat(phi: float) -> float:
    """Isometric latitude (ALG0001)."""
    s = _E * math.sin(phi)
    return math.log(math.tan(math.pi / 4 + phi / 2) * ((1 - s) / (1 + s)) ** (_E / 2))


def _lat_from_iso(L: float, eps: float = 1e-12) -> float:
    """Latitude from isometric latitude (ALG0002), iterated to ``eps`` radians."""
    phi = 2 * math.atan(math.exp(L)) - math.pi / 2
    for _ in range(50):
        s = _E * math.sin(phi)
        nxt = 2 * math.atan(((1 + s) / (1 - s)) ** (_E / 2) * math.exp(L)) - math.pi / 2
        if abs(nxt - phi) < eps:
            return nxt
        phi = nxt
    return phi


def _m(phi: float) -> float:
    return math.cos(phi) / math.sqrt(1 - (_E * math.sin(phi)) ** 2)


N = (math.log(_m(_LAT1)) - math.log(_m(_LAT2))) / (_iso_lat(_LAT2) - _iso_lat(_LAT1))
C = _A * _m(_LAT1) / N * math.exp(N * _iso_lat(_LAT1))
XS = _X0
YS = _Y0 + C * math.exp(-N * _iso_lat(_LAT0))


def wgs84_to_lambert93(lon: float, lat: float) -> tuple[float, float]:
    """Project a WGS84 (longitude, latitude) in degrees to Lambert-93 (x, y) in metres."""
    L = _iso_lat(math.radians(lat))
    R = C * math.exp(-N * L)
    gamma = N * (math.radians(lon) - _LON0)
    return XS + R * math.sin(gamma), YS - R * math.cos(gamma)


def lambert93_to_wgs84(x: float, y: float) -> tuple[float, float]:
    """Unproject Lambert-93 (x, y) in metres to WGS84 (longitude, latitude) in degrees."""
    dx, dy = x - XS, y - YS
    R = math.hypot(dx, dy)
    gamma = math.atan(dx / -dy)
    lon = _LON0 + gamma / N
    L = -math.log(abs(R / C)) / N
    return math.degrees(lon), math.degrees(_lat_from_iso(L))


def sirene_to_wgs84(x: str, y: str, commune: str = "") -> tuple[float, float] | None:
    """(lon, lat) from SIRENE's Lambert columns as text, or None.

    None when a value is empty, ``[ND]`` or not a number, when the commune is
    overseas (``97x``/``98x``: another projection), or when the point falls
    outside a generous box around mainland France and Corsica.
    """
    if str(commune).startswith(("97", "98")):
        return None
    try:
        fx, fy = float(str(x).strip().replace(",", ".")), float(str(y).strip().replace(",", "."))
    except ValueError:
        return None
    if not (-400_000 < fx < 1_400_000 and 6_000_000 < fy < 7_200_000):
        return None
    lon, lat = lambert93_to_wgs84(fx, fy)
    if not (-6.0 < lon < 10.0 and 41.0 < lat < 51.5):
        return None
    return lon, lat
