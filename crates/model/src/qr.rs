//! Volunteer QR cards, made and read on the phone with no network: the payload
//! (`yehua:v1:<volunteer id>`), encoding it to a module matrix and an SVG, and decoding a
//! greyscale camera frame (the fallback where the browser has no `BarcodeDetector`).
//! Owns the payload format and the pixels; never touches the camera or the DOM.

/// What a card's QR code says.
const PREFIX: &str = "yehua:v1:";

/// Why a card could not be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QrError {
    /// The id does not fit a QR code (never for real ids).
    #[error("the id is too long for a QR code")]
    TooLong,
}

/// The QR payload for a volunteer id.
pub fn payload(volunteer_id: &str) -> String {
    format!("{PREFIX}{volunteer_id}")
}

/// The volunteer id a scanned payload names, if it is one of ours.
pub fn volunteer_of(scanned: &str) -> Option<&str> {
    scanned
        .strip_prefix(PREFIX)
        .filter(|id| id.starts_with("volunteer:"))
}

/// A square of dark (`true`) and light modules, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Modules per side.
    pub size: usize,
    /// `size * size` modules.
    pub dark: Vec<bool>,
}

/// Encodes `text` (medium error correction, so a creased card still reads).
pub fn encode(text: &str) -> Result<Matrix, QrError> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)
        .map_err(|_| QrError::TooLong)?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Ok(Matrix {
        size: code.width(),
        dark,
    })
}

/// The matrix as an SVG with a 4-module quiet zone, one path, crisp at any print size.
pub fn to_svg(m: &Matrix) -> String {
    let side = m.size + 8;
    let mut d = String::new();
    for (i, _) in m.dark.iter().enumerate().filter(|(_, dark)| **dark) {
        d.push_str(&format!("M{} {}h1v1h-1z", i % m.size + 4, i / m.size + 4));
    }
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}" shape-rendering="crispEdges"><rect width="{side}" height="{side}" fill="#fff"/><path d="{d}" fill="#000"/></svg>"##
    )
}

/// Reads the first QR code in a greyscale frame (`luma[y * width + x]`, 0 = black).
pub fn decode_luma(width: usize, height: usize, luma: &[u8]) -> Option<String> {
    if luma.len() < width * height {
        return None;
    }
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| luma[y * width + x]);
    img.detect_grids()
        .into_iter()
        .find_map(|g| g.decode().ok().map(|(_, text)| text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Renders a matrix as a camera might see it: `scale` pixels a module, a quiet zone.
    fn render(m: &Matrix, scale: usize) -> (usize, Vec<u8>) {
        let side = (m.size + 8) * scale;
        let mut luma = vec![255u8; side * side];
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / scale) as isize - 4, (y / scale) as isize - 4);
                let inside =
                    (0..m.size as isize).contains(&mx) && (0..m.size as isize).contains(&my);
                if inside && m.dark[my as usize * m.size + mx as usize] {
                    luma[y * side + x] = 20;
                }
            }
        }
        (side, luma)
    }

    #[test]
    fn a_card_reads_back_as_its_volunteer() {
        let id = "volunteer:0190a0b0-0000-7000-8000-000000000002";
        let m = encode(&payload(id)).unwrap();
        let (side, luma) = render(&m, 4);
        let text = decode_luma(side, side, &luma).expect("decodes");
        assert_eq!(volunteer_of(&text), Some(id));
        assert!(to_svg(&m).starts_with("<svg") && to_svg(&m).contains("M4 4h1v1h-1z"));
    }

    #[test]
    fn foreign_codes_and_blank_frames_are_not_volunteers() {
        assert_eq!(volunteer_of("https://example.com"), None);
        assert_eq!(volunteer_of("yehua:v1:activity:1"), None);
        assert_eq!(decode_luma(64, 64, &[255; 64 * 64]), None);
        assert_eq!(decode_luma(64, 64, &[0; 10]), None);
    }
}
