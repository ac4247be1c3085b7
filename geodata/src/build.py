#!/usr/bin/python3
"""Rebuild conflictmap's bundled shapefiles from Debian/npm packages.

Inputs (see SOURCES.md):
  NE_GPKG  Natural Earth 10m admin-1, as generalised in qgis-common's world_map.gpkg
  WA_JSON  Natural Earth 10m admin-0 in world-atlas's countries-10m.json (TopoJSON)
Outputs, in the current directory, EPSG:4326 shapefiles with UTF-8 .cpg:
  districts.shp   22 districts, cut to the finer national outline
  libya.shp       the national outline
  neighbours.shp  surrounding countries, clipped to a frame around Libya
  inset.shp       countries of North Africa and the Mediterranean (1:50m), for a locator inset

Why the cutting: the admin-1 layer is generalised and its coast is coarse at 300 dpi.
The admin-0 outline is finer.  Each district becomes (district ∩ outline); the thin
pieces of the outline no district covers are split on a small grid and each cell goes
to the nearest district, so the districts tile the fine outline without gaps.
"""
import csv
import gettext
import json
import os
import sys

from osgeo import ogr, osr

ogr.UseExceptions()
HERE = os.path.dirname(os.path.abspath(__file__))
CELL = 0.02  # degrees; cells only split the coastal slivers, a few hundred metres wide
SPECK = 2e-3  # square degrees (~20 km2): smaller holes and stray parts are grid noise
ISO_JSON = "/usr/share/iso-codes/json/iso_3166-1.json"
FRAME = (4.0, 14.0, 31.0, 39.0)  # lon/lat box the neighbours are clipped to
INSET = (-20.0, -2.0, 50.0, 52.0)  # lon/lat box of the locator inset's countries


def read_table(name):
    with open(os.path.join(HERE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def french_names():
    """ISO 3166-1 alpha-3 -> the French name in Debian's iso-codes (Natural Earth's NAME_FR is
    in neither package: world-atlas keeps only the name, qgis-common's countries no names
    but NAME)."""
    fr = gettext.translation("iso_3166-1", languages=["fr"], fallback=True)
    out = {}
    for c in json.load(open(ISO_JSON, encoding="utf-8"))["3166-1"]:
        name = fr.gettext(c["name"])
        if name != c["name"] or c["alpha_3"] == "NER":  # Niger is Niger in French
            out[c["alpha_3"]] = name
    return out


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


def fill_small_holes(mp):
    out = ogr.Geometry(ogr.wkbMultiPolygon)
    for i in range(mp.GetGeometryCount()):
        poly = mp.GetGeometryRef(i)
        keep = ogr.Geometry(ogr.wkbPolygon)
        for j in range(poly.GetGeometryCount()):
            ring = poly.GetGeometryRef(j)
            if j > 0:
                hole = ogr.Geometry(ogr.wkbPolygon)
                hole.AddGeometry(ring)
                if hole.GetArea() < SPECK:
                    continue
            keep.AddGeometry(ring)
        out.AddGeometry(keep)
    return out


def write_layer(path, fields, rows):
    drv = ogr.GetDriverByName("ESRI Shapefile")
    if os.path.exists(path):
        drv.DeleteDataSource(path)
    ds = drv.CreateDataSource(path)
    lyr = ds.CreateLayer(os.path.splitext(os.path.basename(path))[0], wgs84(),
                         ogr.wkbMultiPolygon, options=["ENCODING=UTF-8"])
    for name, width in fields:
        fd = ogr.FieldDefn(name, ogr.OFTString)
        fd.SetWidth(width)
        lyr.CreateField(fd)
    for attrs, geom in rows:
        f = ogr.Feature(lyr.GetLayerDefn())
        for k, v in attrs.items():
            f.SetField(k, v)
        f.SetGeometry(geom)
        lyr.CreateFeature(f)
    ds = None


def box_geom(b):
    return ogr.CreateGeometryFromWkt(
        "POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f))" % (
            b[0], b[1], b[2], b[1], b[2], b[3], b[0], b[3], b[0], b[1]))


def build_inset(wa50_json):
    ds = ogr.Open(wa50_json)
    lyr = ds.GetLayerByName("countries")
    box = box_geom(INSET)
    rows = []
    for f in lyr:
        g = f.GetGeometryRef()
        if g is None or not g.Intersects(box):
            continue
        g = polygonal(polygonal(g.Clone().MakeValid()).Intersection(box))
        if not g.IsEmpty():
            rows.append(({"key": f.GetField("id") or "", "name_en": f.GetField("name") or "",
                          "name_ar": ""}, g))
    rows.sort(key=lambda r: r[0]["name_en"])
    write_layer("inset.shp", [("key", 16), ("name_en", 40), ("name_ar", 80)], rows)


def main(ne_gpkg, wa_dir):
    wa_json = os.path.join(wa_dir, "countries-10m.json")
    build_inset(os.path.join(wa_dir, "countries-50m.json"))
    wa = ogr.Open(wa_json)
    countries = wa.GetLayerByName("countries")
    countries.SetAttributeFilter("name = 'Libya'")
    feat = countries.GetNextFeature()
    outline = polygonal(feat.GetGeometryRef().Clone())
    outline = polygonal(outline.MakeValid())

    names = {r["ne_name"]: r for r in read_table("districts.csv")}
    ne = ogr.Open(ne_gpkg)
    lyr = ne.GetLayerByName("states_provinces")
    lyr.SetAttributeFilter("adm0_a3 = 'LBY'")
    coarse = {}
    for f in lyr:
        r = names.get(f.GetField("name"))
        if r is None:
            sys.exit("build.py: district %r is not in districts.csv" % f.GetField("name"))
        coarse[r["key"]] = polygonal(f.GetGeometryRef().Clone().MakeValid())
    if len(coarse) != len(names):
        sys.exit("build.py: expected %d districts, found %d" % (len(names), len(coarse)))

    covered = ogr.Geometry(ogr.wkbMultiPolygon)
    for g in coarse.values():
        covered = covered.Union(g)
    leftover = polygonal(outline.Difference(covered))

    parts = {k: [polygonal(g.Intersection(outline))] for k, g in coarse.items()}
    for i in range(leftover.GetGeometryCount()):
        piece = leftover.GetGeometryRef(i)
        x0, x1, y0, y1 = piece.GetEnvelope()
        nx = int((x1 - x0) / CELL) + 1
        ny = int((y1 - y0) / CELL) + 1
        for ix in range(nx):
            for iy in range(ny):
                cx, cy = x0 + ix * CELL, y0 + iy * CELL
                ring = ogr.Geometry(ogr.wkbLinearRing)
                for px, py in ((cx, cy), (cx + CELL, cy), (cx + CELL, cy + CELL),
                               (cx, cy + CELL), (cx, cy)):
                    ring.AddPoint_2D(px, py)
                cell = ogr.Geometry(ogr.wkbPolygon)
                cell.AddGeometry(ring)
                bit = polygonal(piece.Intersection(cell))
                if bit.IsEmpty():
                    continue
                c = bit.Centroid()
                key = min(coarse, key=lambda k: coarse[k].Distance(c))
                parts[key].append(bit)

    merged = {}
    for k, ps in parts.items():
        g = ogr.Geometry(ogr.wkbMultiPolygon)
        for p in ps:
            g = g.Union(p)
        merged[k] = fill_small_holes(polygonal(g.MakeValid()))
    # A grid cell won by a neighbour leaves a speck inside a district; the hole it
    # left was filled above, so drop specks that lie in another district, then take
    # what is left of any overlap away from the later district.
    keys = list(merged)
    for k in keys:
        others = [merged[j] for j in keys if j != k]
        keep = ogr.Geometry(ogr.wkbMultiPolygon)
        g = merged[k]
        for i in range(g.GetGeometryCount()):
            p = g.GetGeometryRef(i)
            if p.GetArea() < SPECK and any(polygonal(o.Intersection(p)).GetArea() > 0.5 * p.GetArea()
                                           for o in others):
                continue
            keep.AddGeometry(p)
        merged[k] = keep
    taken = ogr.Geometry(ogr.wkbMultiPolygon)
    for k in keys:
        merged[k] = polygonal(merged[k].Difference(taken))
        taken = taken.Union(merged[k])

    rows = []
    for r in read_table("districts.csv"):
        g = merged[r["key"]]
        rows.append(({"key": r["key"], "name_en": r["name_en"], "name_ar": r["name_ar"]}, g))
    write_layer("districts.shp", [("key", 16), ("name_en", 40), ("name_ar", 80)], rows)
    write_layer("libya.shp", [("key", 16), ("name_en", 40), ("name_ar", 80)],
                [({"key": "LBY", "name_en": "Libya", "name_ar": "ليبيا"}, outline)])

    box = box_geom(FRAME)
    rows = []
    french = french_names()
    for r in read_table("neighbours.csv"):
        countries.SetAttributeFilter("name = '%s'" % r["name"].replace("'", "''"))
        countries.ResetReading()
        f = countries.GetNextFeature()
        g = polygonal(polygonal(f.GetGeometryRef().Clone().MakeValid()).Intersection(box))
        if not g.IsEmpty():
            rows.append(({"key": r["key"], "name_en": r["name_en"], "name_ar": r["name_ar"],
                          "name_fr": french.get(r["key"], "")}, g))
    write_layer("neighbours.shp", [("key", 16), ("name_en", 40), ("name_ar", 80), ("name_fr", 40)],
                rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: build.py NE_GPKG WORLD_ATLAS_PACKAGE_DIR")
    main(sys.argv[1], sys.argv[2])
