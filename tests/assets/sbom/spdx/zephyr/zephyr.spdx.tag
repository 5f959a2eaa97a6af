SPDXVersion: SPDX-2.2
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: zephyr-sources
DocumentNamespace: https://swinslow.net/plugfest2-sboms/charge-controller-firmware/spdx/zephyr
Creator: Tool: Zephyr SPDX builder
Created: 2021-06-08T01:29:31Z

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-zephyr-sources

##### Package: zephyr-sources

PackageName: zephyr-sources
SPDXID: SPDXRef-zephyr-sources
PackageDownloadLocation: NOASSERTION
PackageLicenseConcluded: Apache-2.0
PackageLicenseInfoFromFiles: Apache-2.0
PackageLicenseDeclared: NOASSERTION
PackageCopyrightText: NOASSERTION
FilesAnalyzed: true
PackageVerificationCode: ebbc83a6d8f5bde0bd5e53b64021e0165d17cb6b

FileName: ./modules/hal/stm32/stm32cube/stm32g4xx/drivers/src/stm32g4xx_hal.c
SPDXID: SPDXRef-File-stm32g4xx-hal.c
FileChecksum: SHA1: 67707a29789f480431a7ab373353abf77d6df316
FileChecksum: SHA256: a20c5a59f7a19a2ed50e3d2e57beeb6b7199373c6f664ea739413397995fb5ff
LicenseConcluded: NOASSERTION
LicenseInfoInFile: NONE
FileCopyrightText: NOASSERTION

FileName: ./modules/hal/stm32/stm32cube/stm32g4xx/drivers/src/stm32g4xx_hal_rcc.c
SPDXID: SPDXRef-File-stm32g4xx-hal-rcc.c
FileChecksum: SHA1: 9a22fa1fbddea1c991dff850d527421ecfdcdd5b
FileChecksum: SHA256: edcfbece416f4874e943fcc9fb954f69e00b1ede9d6a87620efead7768dcdef9
LicenseConcluded: NOASSERTION
LicenseInfoInFile: NONE
FileCopyrightText: NOASSERTION

FileName: ./zephyr/arch/arm/core/aarch32/__aeabi_atexit.c
SPDXID: SPDXRef-File---aeabi-atexit.c
FileChecksum: SHA1: aa87a67efa87a7fafde79b823e420ead45f55fd0
FileChecksum: SHA256: af2acadb0576eba24813cb169d5d438c664cb12faecdf8abeb912dfeb61dd713
LicenseConcluded: Apache-2.0
LicenseInfoInFile: Apache-2.0
FileCopyrightText: NOASSERTION

