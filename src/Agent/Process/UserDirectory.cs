namespace Vigil.Agent.Process;

/// <summary>
/// User and group names from /etc/passwd and /etc/group, reloaded when either file changes (checked at most
/// every 2 s: every event asks for several names, and a stat per lookup showed up in the exec-storm benchmark).
/// </summary>
public sealed class UserDirectory(string passwdPath = "/etc/passwd", string groupPath = "/etc/group")
{
    private const long CheckEveryMs = 2000;
    private Dictionary<uint, string> _users = [], _groups = [];
    private DateTime _passwdStamp, _groupStamp;
    private long _passwdChecked = -CheckEveryMs, _groupChecked = -CheckEveryMs; // first lookup loads (TickCount64 is never negative)
    private int _version;

    /// <summary>Changes whenever a file is reloaded: text cached with names in it is stale when this moved.</summary>
    public int Version => _version;

    public string User(uint uid) => Lookup(uid, ref _users, passwdPath, ref _passwdStamp, ref _passwdChecked, ref _version);

    public string Group(uint gid) => Lookup(gid, ref _groups, groupPath, ref _groupStamp, ref _groupChecked, ref _version);

    private static string Lookup(uint id, ref Dictionary<uint, string> names, string path, ref DateTime stamp, ref long checkedAt, ref int version)
    {
        var now = Environment.TickCount64;
        if (now - checkedAt >= CheckEveryMs)
        {
            checkedAt = now;
            var changed = File.Exists(path) ? File.GetLastWriteTimeUtc(path) : DateTime.MinValue;
            if (changed != stamp)
            {
                stamp = changed;
                names = Load(path);
                version++;
            }
        }
        return names.GetValueOrDefault(id, "");
    }

    private static Dictionary<uint, string> Load(string path)
    {
        var names = new Dictionary<uint, string>();
        try
        {
            foreach (var line in File.ReadLines(path).Take(100_000))
            {
                var fields = line.Split(':');
                if (fields.Length >= 3 && uint.TryParse(fields[2], out var id)) names.TryAdd(id, fields[0]);
            }
        }
        catch (IOException)
        {
        }
        return names;
    }
}
