namespace Vigil.Agent.Probes.Files;

/// <summary>Values from linux/fanotify.h (see reference kernel notes, §4).</summary>
internal static class FanotifyConstants
{
    public const uint CloseOnExec = 0x1, NonBlocking = 0x2, ClassNotif = 0x0;
    public const uint ReportPidFd = 0x80, ReportFid = 0x200, ReportDirFid = 0x400, ReportName = 0x800;
    public const uint MarkAdd = 0x1, MarkFilesystem = 0x100;

    public const ulong Modify = 0x2, Attrib = 0x4, CloseWrite = 0x8, Open = 0x20, MovedFrom = 0x40, MovedTo = 0x80;
    public const ulong Create = 0x100, Delete = 0x200, DeleteSelf = 0x400, OpenExec = 0x1000, QueueOverflow = 0x4000;
    public const ulong Rename = 0x10000000, OnDirectory = 0x40000000;

    public const int MetadataSize = 24;
    public const byte InfoFid = 1, InfoDirFidName = 2, InfoDirFid = 3, InfoPidFd = 4, InfoOldDirFidName = 10, InfoNewDirFidName = 12;
}
