#!/usr/bin/env bash
# Regenerates the kiosk's synthetic voice clips and its event sounds, under assets/voice/.
#
#   assets/voice/generate.sh            # every language of locales/, and the sounds
#
# Needs espeak-ng and vorbis-tools (Debian packages: apt-get install espeak-ng vorbis-tools) and
# the Rust toolchain: the texts are the `voice-…` Fluent messages of locales/<tag>/kiosk.ftl, as
# the kiosk itself resolves them (examples/voice_clips.rs). Clips are 16 kHz mono Ogg Vorbis,
# tagged CONGELO_SYNTHETIC=espeak-ng, byte for byte the same on every run. A collective's own
# recording is never overwritten: an id with a .wav next to it is skipped (the kiosk plays the
# .wav first), and an .ogg without the tag is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."
for tool in espeak-ng oggenc vorbiscomment; do
    command -v "$tool" >/dev/null || { echo "missing: $tool (apt-get install espeak-ng vorbis-tools)" >&2; exit 1; }
done

# The closest espeak-ng voice of each kiosk language. There is no Québec French voice: fr-CA uses
# France's French until a collective records its own.
voice_of() {
    case "$1" in
        fr-CA) echo fr-fr ;;
        en-CA) echo en-us ;;
        es) echo es-419 ;;
        *) echo "no espeak-ng voice chosen for $1: add it to voice_of in $0" >&2; return 1 ;;
    esac
}

texts=$(cargo run --quiet --example voice_clips -- texts)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
while IFS=$'\t' read -r locale id text; do
    dir="assets/voice/$locale"
    mkdir -p "$dir"
    ogg="$dir/$id.ogg"
    if [ -e "$dir/$id.wav" ]; then
        echo "kept  $dir/$id.wav (a recording)"
        continue
    fi
    if [ -e "$ogg" ] && ! vorbiscomment -l "$ogg" | grep -q '^CONGELO_SYNTHETIC='; then
        echo "kept  $ogg (a recording)"
        continue
    fi
    voice=$(voice_of "$locale")
    # A little slower than espeak-ng's default (175 words a minute), for residents reading little.
    espeak-ng -v "$voice" -s 145 -w "$work/clip.wav" "$text"
    oggenc --quiet -q 0 --resample 16000 --serial 1 -c CONGELO_SYNTHETIC=espeak-ng \
        -c "VOICE=$voice" -o "$ogg" "$work/clip.wav"
    echo "wrote $ogg ($voice)"
done <<<"$texts"

mkdir -p assets/voice/sounds
cargo run --quiet --example voice_clips -- sounds assets/voice/sounds
du -cb assets/voice/*/* | tail -1
