using Booking.BuildingBlocks.Platform;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Booking.Host.Infrastructure;

public static class Authentication
{
    /// <summary>Portal clients: 1 h idle, 12 h absolute. Staff: a working day idle, 12 h absolute.</summary>
    public static readonly (TimeSpan Idle, TimeSpan Absolute) PortalLifetime = (TimeSpan.FromHours(1), TimeSpan.FromHours(12));
    public static readonly (TimeSpan Idle, TimeSpan Absolute) StaffLifetime = (TimeSpan.FromHours(8), TimeSpan.FromHours(12));

    /// <summary>
    /// Two cookie schemes, staff and portal client, each with its sessions kept in PostgreSQL. HttpOnly,
    /// SameSite=Lax; outside Development Secure with the __Host- prefix. The portal cookie is one per business.
    /// The antiforgery cookie the same (HttpOnly and SameSite=Strict are the framework's own).
    /// </summary>
    public static IServiceCollection AddBookingAuthentication(this IServiceCollection services, IWebHostEnvironment environment)
    {
        var secure = !environment.IsDevelopment();
        services.AddAuthentication()
            .AddCookie(AuthSchemes.Staff, options => Configure(options, AuthSchemes.Staff, secure, StaffLifetime.Idle))
            .AddCookie(AuthSchemes.Portal, options =>
            {
                Configure(options, AuthSchemes.Portal, secure, PortalLifetime.Idle);
                // One session per business: booking-portal.<slug> (J27). Staff keep one cookie: staff routes name no
                // business (the session does), so a request could not tell which business's cookie to read.
                options.CookieManager = new PerBusinessCookieManager();
            });
        foreach (var (scheme, absolute) in new[] { (AuthSchemes.Staff, StaffLifetime.Absolute), (AuthSchemes.Portal, PortalLifetime.Absolute) })
        {
            services.AddOptions<CookieAuthenticationOptions>(scheme)
                .Configure<IServiceScopeFactory, TimeProvider>((options, scopes, clock) =>
                {
                    options.TimeProvider = clock;
                    options.SessionStore = new PostgresTicketStore(scopes, scheme, clock, absolute);
                });
        }
        // The antiforgery cookie (forms' pair token) follows the same rules as the session cookies: without this it kept
        // the framework's name and was sent over plain HTTP too.
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = (secure ? "__Host-" : "") + "booking-antiforgery";
            options.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.Cookie.Path = "/";
        });
        return services;
    }

    private static void Configure(CookieAuthenticationOptions options, string scheme, bool secure, TimeSpan idle)
    {
        options.Cookie.Name = (secure ? "__Host-" : "") + "booking-" + scheme;
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = secure ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
        options.Cookie.Path = "/";
        options.ExpireTimeSpan = idle;
        options.SlidingExpiration = true;
        options.Events.OnRedirectToLogin = context => Refuse(context.HttpContext, ProblemException.Unauthenticated());
        options.Events.OnRedirectToAccessDenied = context => Refuse(context.HttpContext, ProblemException.Forbidden());
    }

    private static Task Refuse(HttpContext http, ProblemException problem) =>
        ProblemWriter.WriteAsync(http, ProblemWriter.From(problem, out _));
}
