using System.Globalization;
using Vigil.Core.Secl.Model;

namespace Vigil.Core.Secl.Evaluation;

/// <summary>Converts loosely typed values (JSON, tests) to a field's stored representation.</summary>
internal static class SeclValueConverter
{
    public static SeclValue Convert(SeclField field, object value)
    {
        if (field.IsList)
        {
            var items = value is System.Collections.IEnumerable e && value is not string ? e.Cast<object>().ToArray() : [value];
            return field.Type switch
            {
                SeclValueType.String => new SeclValue(items.Select(i => System.Convert.ToString(i, CultureInfo.InvariantCulture) ?? "").ToArray()),
                SeclValueType.Int => new SeclValue(items.Select(i => ToInt(field, i)).ToArray()),
                SeclValueType.Ip => new SeclValue(items.Select(i => ToIp(i)).ToArray()),
                _ => throw new ArgumentException($"field `{field.Name}` cannot hold a list"),
            };
        }
        return field.Type switch
        {
            SeclValueType.String => new SeclValue(System.Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
            SeclValueType.Int => new SeclValue(ToInt(field, value)),
            SeclValueType.Bool => new SeclValue(value is bool b ? b : System.Convert.ToBoolean(value, CultureInfo.InvariantCulture)),
            _ => new SeclValue(ToIp(value)),
        };
    }

    /// <summary>Integers, numeric strings, constant names ("O_CREAT") and arrays of names (OR-ed, for flags).</summary>
    public static long ToInt(SeclField field, object value)
    {
        switch (value)
        {
            case long l: return l;
            case int i: return i;
            case string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed): return parsed;
            case string s when SeclConstants.TryGet(s, field.ConstantsGroup, out var constant): return constant;
            case string s: throw new ArgumentException($"`{s}` is not an integer or a constant of field `{field.Name}`");
            case System.Collections.IEnumerable names:
                long mask = 0;
                foreach (var name in names) mask |= ToInt(field, name);
                return mask;
            default: return System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }
    }

    private static IpNetwork ToIp(object value) => value switch
    {
        IpNetwork ip => ip,
        string s when IpNetwork.TryParse(s, out var parsed) => parsed,
        _ => throw new ArgumentException($"`{value}` is not an IP address"),
    };
}
