//! What `assets/voice/generate.sh` needs from the kiosk: the text of every spoken Fluent message in
//! every language (resolved by the kiosk's own i18n, tab-separated: `locale`, `id`, `text`), and
//! the event sounds written as 16 kHz mono WAV files.
//!
//! `cargo run --example voice_clips -- texts` · `cargo run --example voice_clips -- sounds DIR`

use std::f32::consts::TAU;
use std::path::Path;

use congelo::kiosk::i18n;
use congelo::kiosk::voice::Sound;
use congelo::kiosk::voice::clips::SPOKEN_MESSAGES;

const RATE: u32 = 16_000;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["texts"] => {
            for language in i18n::languages() {
                for id in SPOKEN_MESSAGES {
                    let text = i18n::text(language.tag, id).replace(['\t', '\n'], " ");
                    println!("{}\t{id}\t{text}", language.tag);
                }
            }
            Ok(())
        }
        ["sounds", dir] => {
            for sound in Sound::ALL {
                let path = Path::new(dir).join(format!("{}.wav", sound.file_stem()));
                std::fs::write(&path, wav(&samples(sound)))?;
                println!("{}", path.display());
            }
            Ok(())
        }
        _ => anyhow::bail!("usage: voice_clips texts | voice_clips sounds DIR"),
    }
}

/// Notes as (frequency in Hz, milliseconds); 0 Hz is a rest.
fn notes(sound: Sound) -> &'static [(f32, u32)] {
    match sound {
        // Two quick rising notes: "got it".
        Sound::ScanOk => &[(880.0, 70), (0.0, 20), (1320.0, 110)],
        // Two falling notes: "hm?".
        Sound::Unknown => &[(523.0, 140), (0.0, 40), (392.0, 220)],
        // A rising major arpeggio: "done".
        Sound::Done => &[(523.0, 110), (659.0, 110), (784.0, 110), (1047.0, 300)],
        // Two low, rough pulses: "no".
        Sound::Error => &[(196.0, 180), (0.0, 80), (196.0, 260)],
    }
}

fn samples(sound: Sound) -> Vec<i16> {
    let rough = sound == Sound::Error;
    let mut out = Vec::new();
    for &(frequency, ms) in notes(sound) {
        let count = (RATE * ms / 1000) as usize;
        let fade = (RATE as usize / 200).min(count / 2); // 5 ms: no clicks
        for i in 0..count {
            let t = i as f32 / RATE as f32;
            let mut value = (TAU * frequency * t).sin();
            if rough {
                value = 0.6 * value
                    + 0.3 * (TAU * 2.0 * frequency * t).sin()
                    + 0.1 * (TAU * 3.0 * frequency * t).sin();
            }
            let edge = i.min(count - 1 - i);
            let envelope = if edge < fade {
                edge as f32 / fade as f32
            } else {
                1.0
            };
            let level = if frequency > 0.0 { 0.5 } else { 0.0 };
            out.push((value * envelope * level * f32::from(i16::MAX)) as i16);
        }
    }
    out
}

/// A 16-bit mono PCM WAV file.
fn wav(samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for sample in samples {
        out.extend_from_slice(&sample.to_le_bytes());
    }
    out
}
