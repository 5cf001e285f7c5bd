using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Booking.Host.Infrastructure;

public static class Authentication
{
    /// <summary>
    /// Two cookie schemes, staff and portal client, each with its sessions kept in PostgreSQL. HttpOnly,
    /// SameSite=Lax; outside Development Secure with the __Host- prefix.
    /// </summary>
    public static IServiceCollection AddBookingAuthentication(this IServiceCollection services, IWebHostEnvironment environment)
    {
        var secure = !environment.IsDevelopment();
        services.AddAuthentication()
            .AddCookie(AuthSchemes.Staff, options => Configure(options, AuthSchemes.Staff, secure, TimeSpan.FromHours(12)))
            .AddCookie(AuthSchemes.Portal, options => Configure(options, AuthSchemes.Portal, secure, TimeSpan.FromDays(30)));
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Staff)
            .Configure<IServiceScopeFactory>((options, scopes) => options.SessionStore = new PostgresTicketStore(scopes, AuthSchemes.Staff));
        services.AddOptions<CookieAuthenticationOptions>(AuthSchemes.Portal)
            .Configure<IServiceScopeFactory>((options, scopes) => options.SessionStore = new PostgresTicketStore(scopes, AuthSchemes.Portal));
        return services;
    }

    private static void Configure(CookieAuthenticationOptions options, string scheme, bool secure, TimeSpan lifetime)
    {
        options.Cookie.Name = (secure ? "__Host-" : "") + "booking-" + scheme;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = lifetime;
        options.SlidingExpiration = true;
        options.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, ProblemException.Unauthenticated());
        options.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, ProblemException.Forbidden());
    }

    private static Task Refuse(HttpContext http, ProblemException problem) =>
        ProblemWriter.WriteAsync(http, ProblemWriter.From(problem, out _));
}
