using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>Reads field values from a bag, computing derived fields (cached in the bag on first use).</summary>
internal static class FieldAccess
{
    public static void GetStrings(SeclEvent evt, SeclValueBag bag, SeclField field, out string? single, out string[]? many)
    {
        single = null;
        many = null;
        switch (field.Derivation)
        {
            case SeclFieldDerivation.Stored or SeclFieldDerivation.Alias:
                if (bag.TryGet(field.StorageId, out var stored)) { single = stored.Text; many = stored.Texts; }
                if (!field.IsList) single ??= "";
                return;
            default:
                if (!bag.TryGetDerived(field.Id, out var cached))
                {
                    cached = ComputeString(evt, bag, field);
                    bag.PutDerived(field.Id, cached);
                }
                single = cached.Text;
                many = cached.Texts;
                if (!field.IsList) single ??= "";
                return;
        }
    }

    private static SeclValue ComputeString(SeclEvent evt, SeclValueBag bag, SeclField field)
    {
        var source = field.Source!;
        switch (field.Derivation)
        {
            case SeclFieldDerivation.ArgsString:
                GetStrings(evt, bag, source, out _, out var argv);
                return new SeclValue(argv is null ? "" : string.Join(' ', argv));
            case SeclFieldDerivation.ArgsFlags:
                GetStrings(evt, bag, source, out _, out argv);
                return new SeclValue(ArgumentParser.Flags(argv ?? []));
            case SeclFieldDerivation.ArgsOptions:
                GetStrings(evt, bag, source, out _, out argv);
                return new SeclValue(ArgumentParser.Options(argv ?? []));
            case SeclFieldDerivation.RootDomain:
                GetStrings(evt, bag, source, out var name, out _);
                return new SeclValue(RootDomain(name ?? ""));
            default:
                return new SeclValue("");
        }
    }

    public static void GetInts(SeclEvent evt, SeclValueBag bag, SeclField field, out long single, out long[]? many)
    {
        single = 0;
        many = null;
        switch (field.Derivation)
        {
            case SeclFieldDerivation.Stored or SeclFieldDerivation.Alias:
                if (bag.TryGet(field.StorageId, out var stored)) { single = stored.Number; many = stored.Numbers; }
                return;
            case SeclFieldDerivation.Rights:
                GetInts(evt, bag, field.Source!, out single, out _);
                single &= 0xFFF; // permission, setuid, setgid and sticky bits
                return;
            case SeclFieldDerivation.Length when field.Source is null:
                single = evt.ElementCount(evt.Catalog.GetIteratorId(field.SourceField!));
                return;
            case SeclFieldDerivation.Length:
                GetStrings(evt, bag, field.Source, out var text, out _);
                single = text?.Length ?? 0;
                return;
        }
    }

    public static void GetIps(SeclValueBag bag, SeclField field, out IpNetwork single, out IpNetwork[]? many, out bool present)
    {
        single = default;
        many = null;
        present = bag.TryGet(field.StorageId, out var stored);
        if (present) { single = stored.Ip; many = stored.Ips; }
    }

    public static bool GetBool(SeclValueBag bag, SeclField field) => bag.TryGet(field.StorageId, out var stored) && stored.Number != 0;

    /// <summary>Registrable domain, approximated as the last two labels (three when the last two are short, as in co.uk).</summary>
    public static string RootDomain(string host)
    {
        var trimmed = host.TrimEnd('.');
        var last = trimmed.LastIndexOf('.');
        if (last <= 0) return trimmed;
        var second = trimmed.LastIndexOf('.', last - 1);
        if (second < 0) return trimmed;
        var secondLabelLength = last - second - 1;
        if (secondLabelLength <= 3 && trimmed.Length - last - 1 <= 2)
        {
            var third = trimmed.LastIndexOf('.', second - 1);
            return third < 0 ? trimmed : trimmed[(third + 1)..];
        }
        return trimmed[(second + 1)..];
    }
}

/// <summary>Datadog's args_flags / args_options helpers.</summary>
internal static class ArgumentParser
{
    public static string[] Flags(string[] argv)
    {
        var flags = new List<string>();
        foreach (var arg in argv)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (arg.Length > 2 && !arg.Contains('=')) flags.Add(arg[2..]);
            }
            else if (arg.Length > 1 && arg[0] == '-' && !char.IsAsciiDigit(arg[1]))
            {
                foreach (var c in arg.AsSpan(1)) flags.Add(c.ToString());
            }
        }
        return [.. flags];
    }

    public static string[] Options(string[] argv)
    {
        var options = new List<string>();
        for (var i = 0; i < argv.Length; i++)
        {
            var arg = argv[i];
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Contains('=')) options.Add(arg[2..]);
            else if (arg.Length == 2 && arg[0] == '-' && i + 1 < argv.Length && !argv[i + 1].StartsWith('-')) options.Add($"{arg[1]}={argv[i + 1]}");
        }
        return [.. options];
    }
}
