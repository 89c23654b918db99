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
commune centroid. :func:`wgs84_point` checks the latitude and longitude a
map or a list gives as they are (the GoGoCarto, data·inclusion and tiers-lieux
readers).

>>> lon, lat = lambert93_to_wgs84(700000, 6600000)
>>> round(lon, 9), round(lat, 9)
(3.0, 46.5)
"""

from __future__ import annotations

import math

__all__ = ["wgs84_to_lambert93", "lambert93_to_wgs84", "sirene_to_wgs84", "seat_point", "wgs84_point", "degrees"]

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


def seat_point(x: str, y: str, commune: str = "", *, wgs84: bool = False) -> tuple[float, float] | None:
    """(lon, lat) of a SIRENE establishment from its two coordinate cells, or None.

    Lambert-93 cells (:func:`sirene_to_wgs84`), or with ``wgs84`` the
    ``longitude``/``latitude`` cells of the older geo-sirene files (``x`` the
    longitude), checked by :func:`wgs84_point`; ``[ND]`` is no value.
    """
    if not wgs84:
        return sirene_to_wgs84(x, y, commune)
    try:
        point = wgs84_point(*("" if str(v).strip() == "[ND]" else v for v in (y, x)))
    except ValueError:
        return None
    return (point[1], point[0]) if point else None


def degrees(value: float) -> str:
    """A coordinate as bundle text, to 7 decimals (about a centimetre): ``47.2063``."""
    return repr(round(float(value), 7))


def wgs84_point(lat, lon) -> tuple[float, float] | None:
    """``(lat, lon)`` as numbers from a source's latitude and longitude, or None if both are empty.

    Numbers or text (a decimal comma is accepted). Raises ValueError with the
    reason when a value is missing while the other is given, is not a finite
    number, is outside the ranges (latitude -90 to 90, longitude -180 to 180),
    or when the point is exactly (0, 0), the placeholder of a failed geocoding.

    >>> wgs84_point("47,2063", -1.571), wgs84_point("", None)
    ((47.2063, -1.571), None)
    >>> wgs84_point(147.2, -1.5)
    Traceback (most recent call last):
    ValueError: latitude hors limites (entre -90 et 90) : 147.2
    """
    texts = ["" if v is None else str(v).strip() for v in (lat, lon)]
    if not any(texts):
        return None
    if not all(texts):
        raise ValueError("latitude ou longitude absente")
    out = []
    for what, text, limit in (("latitude", texts[0], 90.0), ("longitude", texts[1], 180.0)):
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise ValueError(f"{what} illisible : {text!r}") from None
        if not math.isfinite(number):
            raise ValueError(f"{what} illisible : {text!r}")
        if not -limit <= number <= limit:
            raise ValueError(f"{what} hors limites (entre {-limit:g} et {limit:g}) : {text}")
        out.append(number)
    if out == [0.0, 0.0]:
        raise ValueError("point (0, 0) : géocodage manquant")
    return out[0], out[1]


class PointCheck:
    """Put a source's coordinates on node rows; count the refused ones of one file.

    Refused coordinates (see :func:`wgs84_point`) leave the row without a point
    (the app falls back on the seat commune's centroid) and are reported once
    per file, with their number and the first one, rather than once per row.

    >>> check, row = PointCheck(), {}
    >>> check.put(row, "47.2063", "-1.571", 2), row
    (True, {'lat': '47.2063', 'lon': '-1.571'})
    >>> check.put({}, "95", "2", 3), check.warning("carte.csv")
    (False, 'carte.csv : coordonnées refusées pour 1 ligne(s), laissées vides (ligne 3 : latitude hors limites (entre -90 et 90) : 95)')
    """

    def __init__(self) -> None:
        self.refused = 0
        self.first = ""

    def put(self, row: dict, lat, lon, row_no: int | str = "") -> bool:
        """Set ``row["lat"]``/``row["lon"]`` from ``lat``/``lon`` if valid; False if refused."""
        try:
            point = wgs84_point(lat, lon)
        except ValueError as err:
            self.refused += 1
            if not self.first:
                self.first = f"ligne {row_no} : {err}" if row_no != "" else str(err)
            return False
        if point is not None:
            row["lat"], row["lon"] = degrees(point[0]), degrees(point[1])
        return True

    def warning(self, file: str) -> str | None:
        """The file's warning, or None when nothing was refused."""
        if not self.refused:
            return None
        return f"{file} : coordonnées refusées pour {self.refused} ligne(s), laissées vides ({self.first})"
