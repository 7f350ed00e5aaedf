using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using MudBlazor.Services;
using Vigil.ServiceDefaults;
using Vigil.Web.Auth;
using Vigil.Web.Clients;
using Vigil.Web.Components;

namespace Vigil.Web;

/// <summary>The Web role: the Blazor Signals Explorer, its login cookie and its typed Api client.</summary>
public static class WebExtensions
{
    public static WebApplicationBuilder AddVigilWeb(this WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        // Serve package assets (MudBlazor, blazor.web.js) from a build output too, not only after publish;
        // a no-op in published output, which has no runtime manifest.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();

        // The Web's cookie is the default scheme of a browser request; the Api's endpoints name their own scheme.
        services.AddAuthentication(WebAuthentication.Scheme)
            .AddCookie(WebAuthentication.Scheme, o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.Cookie.Name = "vigil.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(12);
                o.SlidingExpiration = false;
            });

        services.AddSingleton<ApiBaseAddress>();
        services.AddScoped<LiveSignalFeed>();
        services.AddHttpClient<VigilApiClient>((sp, http) =>
        {
            http.BaseAddress = sp.GetRequiredService<ApiBaseAddress>().Get();
            http.Timeout = TimeSpan.FromSeconds(30);
        });
        return builder;
    }

    public static WebApplication MapVigilWeb(this WebApplication app)
    {
        app.UseVigilPipeline();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapPost("/logout", LogoutAsync).RequireAuthorization();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>Revokes the Api session, then drops the cookie. A form post with an antiforgery token.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext context, IAntiforgery antiforgery, VigilApiClient api)
    {
        await antiforgery.ValidateRequestAsync(context);
        var token = context.User.FindFirst(WebAuthentication.TokenClaim)?.Value;
        if (token is not null)
        {
            try
            {
                await api.LogoutAsync(token, context.RequestAborted);
            }
            catch (HttpRequestException)
            {
                // The Api is down: the cookie still goes; the token expires on its own.
            }
        }
        await context.SignOutAsync(WebAuthentication.Scheme);
        return Results.Redirect("/login");
    }
}
