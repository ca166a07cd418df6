//! Geography: hubs and towns at real coordinates (populations approximate, rounded), and
//! each operator's cell sites placed with density following population.

use linesight_rng::Rng;

/// A point, WGS84 degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Pt {
    pub(crate) lat: f64,
    pub(crate) lon: f64,
}

impl Pt {
    /// A point `north_km`/`east_km` from this one (equirectangular; fine at town scale).
    pub(crate) fn offset_km(self, north_km: f64, east_km: f64) -> Pt {
        Pt {
            lat: self.lat + north_km / 111.2,
            lon: self.lon + east_km / (111.2 * self.lat.to_radians().cos()),
        }
    }

    /// (north, east) in km from `self` to `other`.
    pub(crate) fn delta_km(self, other: Pt) -> (f64, f64) {
        (
            (other.lat - self.lat) * 111.2,
            (other.lon - self.lon) * 111.2 * self.lat.to_radians().cos(),
        )
    }

    /// Great-circle-free distance in km (equirectangular).
    pub(crate) fn dist_km(self, other: Pt) -> f64 {
        let (n, e) = self.delta_km(other);
        (n * n + e * e).sqrt()
    }
}

/// A hub city or a county town.
#[derive(Clone, Debug)]
pub(crate) struct Place {
    pub(crate) name: &'static str,
    /// Police force area the place is in.
    pub(crate) force: &'static str,
    pub(crate) centre: Pt,
    /// Approximate, rounded population.
    pub(crate) population: u32,
    /// Leading digits of the national significant number of local landlines (`1582` for
    /// Luton's 01582); numbers are padded to 10 digits.
    pub(crate) area_code: &'static str,
    pub(crate) is_hub: bool,
}

impl Place {
    /// Built-up radius in km: grows with the square root of population.
    pub(crate) fn radius_km(&self) -> f64 {
        (1.1 * (f64::from(self.population) / 10_000.0).sqrt()).clamp(1.5, 18.0)
    }

    /// A point drawn around the centre, denser in the middle (people and masts alike).
    pub(crate) fn random_point(&self, rng: &mut Rng) -> Pt {
        let sigma = self.radius_km() / 2.0;
        self.centre
            .offset_km(rng.normal(0.0, sigma), rng.normal(0.0, sigma))
    }
}

macro_rules! place {
    ($name:expr, $force:expr, $lat:expr, $lon:expr, $pop:expr, $code:expr, $hub:expr) => {
        Place {
            name: $name,
            force: $force,
            centre: Pt {
                lat: $lat,
                lon: $lon,
            },
            population: $pop,
            area_code: $code,
            is_hub: $hub,
        }
    };
}

/// Hub cities (national scale uses all four; the others only London).
pub(crate) fn hubs() -> Vec<Place> {
    vec![
        place!(
            "London",
            "Metropolitan Police",
            51.5074,
            -0.1278,
            8_900_000,
            "20",
            true
        ),
        place!(
            "Birmingham",
            "West Midlands Police",
            52.4862,
            -1.8904,
            1_150_000,
            "121",
            true
        ),
        place!(
            "Manchester",
            "Greater Manchester Police",
            53.4808,
            -2.2426,
            550_000,
            "161",
            true
        ),
        place!(
            "Liverpool",
            "Merseyside Police",
            53.4084,
            -2.9916,
            500_000,
            "151",
            true
        ),
    ]
}

/// Market and coastal towns in the seven eastern-region forces.
pub(crate) fn eastern_towns() -> Vec<Place> {
    const BEDS: &str = "Bedfordshire Police";
    const CAMBS: &str = "Cambridgeshire Constabulary";
    const ESSEX: &str = "Essex Police";
    const HERTS: &str = "Hertfordshire Constabulary";
    const KENT: &str = "Kent Police";
    const NORF: &str = "Norfolk Constabulary";
    const SUFF: &str = "Suffolk Constabulary";
    vec![
        // The first eight cover all seven forces: regional scale uses them.
        place!("Luton", BEDS, 51.8787, -0.4200, 225_000, "1582", false),
        place!(
            "Peterborough",
            CAMBS,
            52.5695,
            -0.2405,
            215_000,
            "1733",
            false
        ),
        place!(
            "Southend-on-Sea",
            ESSEX,
            51.5459,
            0.7077,
            180_000,
            "1702",
            false
        ),
        place!(
            "Clacton-on-Sea",
            ESSEX,
            51.7898,
            1.1561,
            55_000,
            "1255",
            false
        ),
        place!("Stevenage", HERTS, 51.9038, -0.1966, 90_000, "1438", false),
        place!("Margate", KENT, 51.3813, 1.3862, 62_000, "1843", false),
        place!(
            "Great Yarmouth",
            NORF,
            52.6083,
            1.7305,
            39_000,
            "1493",
            false
        ),
        place!("Ipswich", SUFF, 52.0567, 1.1482, 140_000, "1473", false),
        place!("Bedford", BEDS, 52.1356, -0.4685, 107_000, "1234", false),
        place!("Wisbech", CAMBS, 52.6661, 0.1596, 31_000, "1945", false),
        place!("Colchester", ESSEX, 51.8959, 0.8919, 130_000, "1206", false),
        place!("Basildon", ESSEX, 51.5761, 0.4887, 115_000, "1268", false),
        place!("Watford", HERTS, 51.6565, -0.3903, 100_000, "1923", false),
        place!("Folkestone", KENT, 51.0814, 1.1695, 46_000, "1303", false),
        place!("Chatham", KENT, 51.3800, 0.5290, 77_000, "1634", false),
        place!("King's Lynn", NORF, 52.7517, 0.3953, 43_000, "1553", false),
        place!("Norwich", NORF, 52.6309, 1.2974, 145_000, "1603", false),
        place!("Lowestoft", SUFF, 52.4811, 1.7500, 73_000, "1502", false),
    ]
}

/// Towns elsewhere in England, for national scale.
pub(crate) fn other_towns() -> Vec<Place> {
    vec![
        place!(
            "Portsmouth",
            "Hampshire Constabulary",
            50.8198,
            -1.0880,
            210_000,
            "239",
            false
        ),
        place!(
            "Brighton",
            "Sussex Police",
            50.8225,
            -0.1372,
            230_000,
            "1273",
            false
        ),
        place!(
            "Hastings",
            "Sussex Police",
            50.8543,
            0.5735,
            92_000,
            "1424",
            false
        ),
        place!(
            "Swindon",
            "Wiltshire Police",
            51.5558,
            -1.7797,
            185_000,
            "1793",
            false
        ),
        place!(
            "Reading",
            "Thames Valley Police",
            51.4543,
            -0.9781,
            175_000,
            "118",
            false
        ),
        place!(
            "Oxford",
            "Thames Valley Police",
            51.7520,
            -1.2577,
            150_000,
            "1865",
            false
        ),
        place!(
            "Milton Keynes",
            "Thames Valley Police",
            52.0406,
            -0.7594,
            230_000,
            "1908",
            false
        ),
        place!(
            "Northampton",
            "Northamptonshire Police",
            52.2405,
            -0.9027,
            215_000,
            "1604",
            false
        ),
        place!(
            "Exeter",
            "Devon and Cornwall Police",
            50.7184,
            -3.5339,
            130_000,
            "1392",
            false
        ),
        place!(
            "Plymouth",
            "Devon and Cornwall Police",
            50.3755,
            -4.1427,
            265_000,
            "1752",
            false
        ),
        place!(
            "Torquay",
            "Devon and Cornwall Police",
            50.4619,
            -3.5253,
            50_000,
            "1803",
            false
        ),
        place!(
            "Bournemouth",
            "Dorset Police",
            50.7192,
            -1.8808,
            195_000,
            "1202",
            false
        ),
        place!(
            "Weston-super-Mare",
            "Avon and Somerset Police",
            51.3461,
            -2.9770,
            80_000,
            "1934",
            false
        ),
        place!(
            "Gloucester",
            "Gloucestershire Constabulary",
            51.8642,
            -2.2382,
            130_000,
            "1452",
            false
        ),
        place!(
            "Shrewsbury",
            "West Mercia Police",
            52.7073,
            -2.7553,
            76_000,
            "1743",
            false
        ),
        place!(
            "Telford",
            "West Mercia Police",
            52.6766,
            -2.4469,
            145_000,
            "1952",
            false
        ),
        place!(
            "Worcester",
            "West Mercia Police",
            52.1936,
            -2.2216,
            100_000,
            "1905",
            false
        ),
        place!(
            "Hereford",
            "West Mercia Police",
            52.0565,
            -2.7160,
            60_000,
            "1432",
            false
        ),
        place!(
            "Stoke-on-Trent",
            "Staffordshire Police",
            53.0027,
            -2.1794,
            255_000,
            "1782",
            false
        ),
        place!(
            "Lincoln",
            "Lincolnshire Police",
            53.2307,
            -0.5406,
            100_000,
            "1522",
            false
        ),
        place!(
            "Boston",
            "Lincolnshire Police",
            52.9789,
            -0.0266,
            45_000,
            "1205",
            false
        ),
        place!(
            "Blackpool",
            "Lancashire Constabulary",
            53.8175,
            -3.0357,
            140_000,
            "1253",
            false
        ),
        place!(
            "Barrow-in-Furness",
            "Cumbria Constabulary",
            54.1108,
            -3.2261,
            56_000,
            "1229",
            false
        ),
        place!(
            "Carlisle",
            "Cumbria Constabulary",
            54.8925,
            -2.9329,
            75_000,
            "1228",
            false
        ),
        place!(
            "Scarborough",
            "North Yorkshire Police",
            54.2831,
            -0.3998,
            62_000,
            "1723",
            false
        ),
        place!(
            "Chester",
            "Cheshire Constabulary",
            53.1934,
            -2.8931,
            80_000,
            "1244",
            false
        ),
        place!(
            "Crewe",
            "Cheshire Constabulary",
            53.0979,
            -2.4407,
            75_000,
            "1270",
            false
        ),
    ]
}

/// One sector of a site.
#[derive(Clone, Debug)]
pub(crate) struct CellSector {
    pub(crate) op: u8,
    pub(crate) lac: u32,
    pub(crate) ci: u32,
    pub(crate) site: u32,
    pub(crate) town: u16,
    pub(crate) pos: Pt,
    pub(crate) azimuth: u16,
}

/// A mast with three sectors (indices into the cell list).
#[derive(Clone, Debug)]
struct Site {
    pos: Pt,
    sectors: [u32; 3],
    azimuths: [u16; 3],
}

/// Every operator's cells, indexed for "which sector serves this point".
pub(crate) struct CellMap {
    pub(crate) cells: Vec<CellSector>,
    /// Sites per (town, operator): `sites[town * 3 + op]`.
    sites: Vec<Vec<Site>>,
}

impl CellMap {
    /// Places `sites_per_100k` sites per 100,000 people (between `min` and `max` per town)
    /// for each of the three operators.
    pub(crate) fn build(
        places: &[Place],
        sites_per_100k: f64,
        min: u32,
        max: u32,
        rng: &mut Rng,
    ) -> Self {
        let mut cells = Vec::new();
        let mut sites = Vec::with_capacity(places.len() * 3);
        let mut site_no = 0u32;
        for (ti, place) in places.iter().enumerate() {
            let n = ((f64::from(place.population) / 100_000.0 * sites_per_100k).round() as u32)
                .clamp(min, max);
            for op in 0..3u8 {
                let mut list = Vec::with_capacity(n as usize);
                for s in 0..n {
                    // The first site of each operator sits near the centre (station, high street).
                    let pos = if s == 0 {
                        place
                            .centre
                            .offset_km(rng.normal(0.0, 0.2), rng.normal(0.0, 0.2))
                    } else {
                        place.random_point(rng)
                    };
                    let rot = rng.range(-20, 20);
                    let mut sectors = [0u32; 3];
                    let mut azimuths = [0u16; 3];
                    for k in 0..3 {
                        let az = (k as i64 * 120 + rot).rem_euclid(360) as u16;
                        sectors[k] = cells.len() as u32;
                        azimuths[k] = az;
                        cells.push(CellSector {
                            op,
                            lac: 4000 + ti as u32,
                            ci: 10_000 + ti as u32 * 1000 + s * 3 + k as u32,
                            site: site_no,
                            town: ti as u16,
                            pos,
                            azimuth: az,
                        });
                    }
                    site_no += 1;
                    list.push(Site {
                        pos,
                        sectors,
                        azimuths,
                    });
                }
                sites.push(list);
            }
        }
        Self { cells, sites }
    }

    /// The sector of operator `op` in `town` that serves `pt`: nearest site, then the
    /// sector whose boresight faces the point.
    pub(crate) fn serve(&self, op: u8, town: u16, pt: Pt) -> u32 {
        let list = &self.sites[town as usize * 3 + op as usize];
        let mut best = 0usize;
        let mut best_d = f64::MAX;
        for (i, s) in list.iter().enumerate() {
            let dlat = s.pos.lat - pt.lat;
            let dlon = (s.pos.lon - pt.lon) * 0.62;
            let d = dlat * dlat + dlon * dlon;
            if d < best_d {
                best_d = d;
                best = i;
            }
        }
        let site = &list[best];
        let (n, e) = site.pos.delta_km(pt);
        let bearing = e.atan2(n).to_degrees().rem_euclid(360.0);
        let mut k_best = 0;
        let mut diff_best = f64::MAX;
        for k in 0..3 {
            let d = (bearing - f64::from(site.azimuths[k])).rem_euclid(360.0);
            let d = d.min(360.0 - d);
            if d < diff_best {
                diff_best = d;
                k_best = k;
            }
        }
        site.sectors[k_best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_faces_the_point() {
        let places = vec![eastern_towns().remove(0)];
        let mut rng = Rng::new(1);
        let map = CellMap::build(&places, 5.0, 3, 10, &mut rng);
        assert_eq!(map.cells.len(), 10 * 3 * 3); // 11 sites capped at 10
        for _ in 0..200 {
            let p = places[0].random_point(&mut rng);
            let c = &map.cells[map.serve(1, 0, p) as usize];
            assert_eq!(c.op, 1);
            let (n, e) = c.pos.delta_km(p);
            let bearing = e.atan2(n).to_degrees().rem_euclid(360.0);
            let d = (bearing - f64::from(c.azimuth)).rem_euclid(360.0);
            assert!(
                d.min(360.0 - d) <= 60.0 + 1e-9,
                "bearing {bearing} az {}",
                c.azimuth
            );
        }
    }

    #[test]
    fn ten_digit_landlines() {
        for p in hubs().iter().chain(&eastern_towns()).chain(&other_towns()) {
            assert!((2..=4).contains(&p.area_code.len()), "{}", p.name);
            assert!(p.area_code.starts_with('1') || p.area_code.starts_with('2'));
        }
    }
}
