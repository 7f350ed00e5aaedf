namespace Vigil.Core.Secl.Model;

public enum SeclValueType
{
    String,
    Int,
    Bool,
    Ip,
}

[Flags]
public enum SeclFieldFlags
{
    None = 0,
    /// <summary>The value is a list; comparisons mean "any element".</summary>
    List = 1,
    /// <summary>A file path: patterns are path globs and regexes are rejected.</summary>
    FilePath = 2,
    /// <summary>Compared case-insensitively (DNS names, hostnames).</summary>
    CaseInsensitive = 4,
    /// <summary>A timestamp in nanoseconds: compared with a duration it means "age of".</summary>
    Timestamp = 8,
}

/// <summary>How a field's value is obtained: stored by the event producer, or computed from another field.</summary>
public enum SeclFieldDerivation
{
    Stored,
    /// <summary>Another name for <see cref="SeclField.SourceField"/> (legacy <c>container.id</c>).</summary>
    Alias,
    /// <summary>Length of a string, or number of elements of an iterator.</summary>
    Length,
    /// <summary>Registrable domain of a host name.</summary>
    RootDomain,
    /// <summary>argv joined with spaces (argv excludes argv0).</summary>
    ArgsString,
    /// <summary>Flags from "-x", "-xyz" and "--name" arguments.</summary>
    ArgsFlags,
    /// <summary>"name=value" from "-n value" and "--name=value" arguments.</summary>
    ArgsOptions,
    /// <summary>Permission bits (mode &amp; 07777).</summary>
    Rights,
}

/// <summary>
/// One SECL field, produced from <see cref="SeclModelDefinition"/>. The binder types expressions with it,
/// the evaluator reads values by <see cref="Id"/>, the JSON reader uses <see cref="JsonPath"/>.
/// </summary>
public sealed record SeclField(
    int Id,
    string Name,
    IReadOnlyList<string> EventTypes,
    SeclValueType Type,
    SeclFieldFlags Flags,
    string? Iterator,
    string? ConstantsGroup,
    string? JsonPath,
    SeclFieldDerivation Derivation,
    string? SourceField)
{
    /// <summary><c>*</c> marks context fields valid for every event type.</summary>
    public const string AnyEventType = "*";

    public bool IsContext => EventTypes.Contains(AnyEventType);

    public bool IsAvailableFor(string eventType) => IsContext || EventTypes.Contains(eventType);

    public bool IsList => (Flags & SeclFieldFlags.List) != 0;

    public bool IsPath => (Flags & SeclFieldFlags.FilePath) != 0;

    public bool IsCaseInsensitive => (Flags & SeclFieldFlags.CaseInsensitive) != 0;

    public bool IsTimestamp => (Flags & SeclFieldFlags.Timestamp) != 0;

    /// <summary>Resolved source field for derived and alias fields (set by the catalogue).</summary>
    public SeclField? Source { get; internal set; }

    /// <summary>Id under which the value is stored (the source's id for aliases).</summary>
    public int StorageId => Derivation == SeclFieldDerivation.Alias && Source is not null ? Source.StorageId : Id;
}

/// <summary>An event type (trigger) with its Datadog category and first agent version.</summary>
public sealed record SeclEventType(string Name, string Category, string FromAgentVersion, bool Experimental = false);
