; Nexus installer for Windows (NSIS 3, Unicode). Installs for the current user (no
; administrator rights) into %LOCALAPPDATA%\Programs\Nexus, adds a Start-menu shortcut,
; registers Nexus as a browser the user may pick for web links and HTML files, and an
; entry in "Installed apps" whose uninstaller removes exactly what was installed.
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
; Registration as a web browser (Settings > Default apps lists it; the user chooses).
!define CLIENT_KEY "Software\Clients\StartMenuInternet\${APP}"
!define URL_CLASS "NexusURL"
!define HTML_CLASS "NexusHTML"

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

  ; Open-with classes for web links and HTML files.
  WriteRegStr HKCU "Software\Classes\${URL_CLASS}" "" "${APP} URL"
  WriteRegStr HKCU "Software\Classes\${URL_CLASS}" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\${URL_CLASS}\DefaultIcon" "" "$INSTDIR\nexus.ico"
  WriteRegStr HKCU "Software\Classes\${URL_CLASS}\shell\open\command" "" '"$INSTDIR\nexus.exe" "%1"'
  WriteRegStr HKCU "Software\Classes\${HTML_CLASS}" "" "${APP} HTML Document"
  WriteRegStr HKCU "Software\Classes\${HTML_CLASS}\DefaultIcon" "" "$INSTDIR\nexus.ico"
  WriteRegStr HKCU "Software\Classes\${HTML_CLASS}\shell\open\command" "" '"$INSTDIR\nexus.exe" "%1"'
  ; The browser's capabilities, and where Windows finds them.
  WriteRegStr HKCU "${CLIENT_KEY}" "" "${APP}"
  WriteRegStr HKCU "${CLIENT_KEY}\DefaultIcon" "" "$INSTDIR\nexus.ico"
  WriteRegStr HKCU "${CLIENT_KEY}\shell\open\command" "" '"$INSTDIR\nexus.exe"'
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities" "ApplicationName" "${APP}"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities" "ApplicationIcon" "$INSTDIR\nexus.ico"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities" "ApplicationDescription" "A web browser with an on-device AI sidebar"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities\URLAssociations" "http" "${URL_CLASS}"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities\URLAssociations" "https" "${URL_CLASS}"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities\FileAssociations" ".html" "${HTML_CLASS}"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities\FileAssociations" ".htm" "${HTML_CLASS}"
  WriteRegStr HKCU "${CLIENT_KEY}\Capabilities\StartMenu" "StartMenuInternet" "${APP}"
  WriteRegStr HKCU "Software\RegisteredApplications" "${APP}" "${CLIENT_KEY}\Capabilities"
SectionEnd

Section "Uninstall"
  Delete "$SMPROGRAMS\${APP}.lnk"
  !include "${UNINSTALL_LIST}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegValue HKCU "Software\RegisteredApplications" "${APP}"
  DeleteRegKey HKCU "${CLIENT_KEY}"
  DeleteRegKey HKCU "Software\Classes\${URL_CLASS}"
  DeleteRegKey HKCU "Software\Classes\${HTML_CLASS}"
SectionEnd
