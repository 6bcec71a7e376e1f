; Nexus installer for Windows (NSIS 3, Unicode). Installs for the current user (no
; administrator rights) into %LOCALAPPDATA%\Programs\Nexus, adds a Start-menu shortcut
; and an entry in "Installed apps" whose uninstaller removes exactly what was installed.
;
; `cargo xtask package` compiles it with:
;   makensis -DVERSION=<x.y.z> -DSOURCE=<install folder> -DUNINSTALL_LIST=<nsh> -DOUTFILE=<exe> nexus.nsi
; (-DUNCOMPRESSED for a quick, uncompressed build.)
; SOURCE is the laid-out install folder (nexus.exe, libcef.dll, resources, locales,
; models, licenses); UNINSTALL_LIST holds its Delete/RMDir lines, written from the same
; folder so the two cannot disagree.

!ifndef VERSION
  !error "define VERSION (and VERSION, SOURCE, UNINSTALL_LIST, OUTFILE: see the top of this file)"
!endif
!ifndef SOURCE
  !error "define SOURCE (and VERSION, SOURCE, UNINSTALL_LIST, OUTFILE: see the top of this file)"
!endif
!ifndef UNINSTALL_LIST
  !error "define UNINSTALL_LIST (and VERSION, SOURCE, UNINSTALL_LIST, OUTFILE: see the top of this file)"
!endif
!ifndef OUTFILE
  !error "define OUTFILE (and VERSION, SOURCE, UNINSTALL_LIST, OUTFILE: see the top of this file)"
!endif

Unicode true
!ifdef UNCOMPRESSED
  ; For checking the script and the layout quickly (`--stage windows`), not for users.
  SetCompress off
!else
  SetCompressor /SOLID lzma
!endif
ManifestDPIAware true

!define APP "Nexus"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP}"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel user
VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${APP}"
VIAddVersionKey "ProductVersion" "${VERSION}"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "FileDescription" "${APP} installer"
VIAddVersionKey "LegalCopyright" "The Nexus developers"

!include "MUI2.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "${SOURCE}\nexus.ico"
!define MUI_UNICON "${SOURCE}\nexus.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\nexus.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start ${APP}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Section "Nexus" SecMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\nexus.exe" "" "$INSTDIR\nexus.ico" 0

  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "The Nexus developers"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\nexus.ico"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  !include "${UNINSTALL_LIST}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
SectionEnd
