/* Test harness only (never shipped): wine 8 lacks bcryptprimitives.dll, which Rust programs such as
   python-calamine load for ProcessPrng. Real Windows 10/11 has it. */
#include <windows.h>
typedef BOOLEAN (WINAPI *RtlGenRandomFn)(PVOID, ULONG);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    static RtlGenRandomFn gen = NULL;
    if (!gen) gen = (RtlGenRandomFn)GetProcAddress(LoadLibraryA("advapi32.dll"), "SystemFunction036");
    while (len) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!gen || !gen(data, chunk)) return FALSE;
        data += chunk; len -= chunk;
    }
    return TRUE;
}
