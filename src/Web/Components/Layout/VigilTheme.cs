using MudBlazor;

namespace Vigil.Web.Components.Layout;

/// <summary>Vigil's colours; app.css reads MudBlazor's palette variables, so light and dark both follow it.</summary>
public static class VigilTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#5b3cc4", Background = "#f7f8fa", Surface = "#ffffff", AppbarBackground = "#ffffff" },
        PaletteDark = new PaletteDark { Primary = "#a48bff", Background = "#14161c", Surface = "#1c1f27", AppbarBackground = "#1c1f27" },
    };
}
