#!/usr/bin/env bash
# Build the example bootloader image (Cortex-M4) and its linker map from Bootloader/Src/main.c.
#
# The committed Release/aurora-boot.{elf,map,hex} were made with this script on Debian 12 with
# gcc-arm-none-eabi 12.2 and libnewlib-arm-none-eabi, against the lwIP 2.1.3 and Mbed TLS 2.28.3
# headers of Debian's liblwip-dev and libmbedtls-dev (the same releases as the vendored headers in
# Middlewares/). Needs: apt-get, dpkg-deb, arm-none-eabi-gcc. Run from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download -q liblwip-dev libmbedtls-dev >/dev/null 2>&1)
for deb in "$work"/*.deb; do dpkg-deb -x "$deb" "$work/root"; done
inc="$work/root/usr/include"
mkdir -p "$here/Release"
arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -mfloat-abi=soft -Os -ffunction-sections \
    -fdata-sections -ffile-prefix-map="$here"=. -ffile-prefix-map="$work"=/build \
    -I"$inc/lwip" -I"$inc/lwip/compat/posix" -I"$inc" \
    --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections \
    -Wl,-Map="$here/Release/aurora-boot.map" \
    -o "$here/Release/aurora-boot.elf" "$here/Bootloader/Src/main.c"
arm-none-eabi-objcopy -O ihex "$here/Release/aurora-boot.elf" "$here/Release/aurora-boot.hex"
echo "built $here/Release/aurora-boot.elf"
