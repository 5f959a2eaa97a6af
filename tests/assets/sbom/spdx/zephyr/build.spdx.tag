SPDXVersion: SPDX-2.2
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: build
DocumentNamespace: https://swinslow.net/plugfest2-sboms/charge-controller-firmware/spdx/build
Creator: Tool: Zephyr SPDX builder
Created: 2021-06-08T01:29:31Z

ExternalDocumentRef: DocumentRef-zephyr https://swinslow.net/plugfest2-sboms/charge-controller-firmware/spdx/zephyr SHA1: 26b050b60103ee9c4f3a8ad0c219fae24f6efed5

Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-zephyr-final

##### Package: ..__modules__hal__stm32__stm32cube

PackageName: ..__modules__hal__stm32__stm32cube
SPDXID: SPDXRef-..--modules--hal--stm32--stm32cube
PackageDownloadLocation: NOASSERTION
PackageLicenseConcluded: Apache-2.0
PackageLicenseInfoFromFiles: Apache-2.0
PackageLicenseDeclared: NOASSERTION
PackageCopyrightText: NOASSERTION
FilesAnalyzed: true
PackageVerificationCode: fe795c253cb987821258be9757222a191b65aa4d

Relationship: SPDXRef-..--modules--hal--stm32--stm32cube HAS_PREREQUISITE SPDXRef-syscall-list-h-target
Relationship: SPDXRef-..--modules--hal--stm32--stm32cube HAS_PREREQUISITE SPDXRef-driver-validation-h-target
Relationship: SPDXRef-..--modules--hal--stm32--stm32cube HAS_PREREQUISITE SPDXRef-kobj-types-h-target
Relationship: SPDXRef-..--modules--hal--stm32--stm32cube HAS_PREREQUISITE SPDXRef-zephyr-generated-headers

FileName: ./modules/stm32/stm32cube/lib..__modules__hal__stm32__stm32cube.a
SPDXID: SPDXRef-File-lib..--modules--hal--stm32--stm32cube.a
FileChecksum: SHA1: cd7096be3419dca7af61597a4c38ea0949d3485a
FileChecksum: SHA256: c62be251e0eaba5e69c72890959661a88065fc63943558717b096938e1b68923
LicenseConcluded: NOASSERTION
LicenseInfoInFile: NONE
FileCopyrightText: NOASSERTION

Relationship: SPDXRef-File-lib..--modules--hal--stm32--stm32cube.a GENERATED_FROM DocumentRef-zephyr:SPDXRef-File-system-stm32g4xx.c
Relationship: SPDXRef-File-lib..--modules--hal--stm32--stm32cube.a GENERATED_FROM DocumentRef-zephyr:SPDXRef-File-stm32g4xx-hal.c

##### Package: app

PackageName: app
SPDXID: SPDXRef-app
PackageDownloadLocation: NOASSERTION
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: NOASSERTION
PackageCopyrightText: NOASSERTION
FilesAnalyzed: true
PackageVerificationCode: 9101f2ddeb664226efee5e7ddb576b2148972ddb

Relationship: SPDXRef-app HAS_PREREQUISITE SPDXRef-syscall-list-h-target
Relationship: SPDXRef-app HAS_PREREQUISITE SPDXRef-driver-validation-h-target
Relationship: SPDXRef-app HAS_PREREQUISITE SPDXRef-kobj-types-h-target
Relationship: SPDXRef-app HAS_PREREQUISITE SPDXRef-zephyr-generated-headers

FileName: ./app/libapp.a
SPDXID: SPDXRef-File-libapp.a
FileChecksum: SHA1: fc944071c034a018acf1cdefa32d0ad06323616a
FileChecksum: SHA256: 1a59a91de47038ee22f77195ad30cec6fd2cf32582fd9d1a84772c041ee84a0c
LicenseConcluded: NOASSERTION
LicenseInfoInFile: NONE
FileCopyrightText: NOASSERTION
