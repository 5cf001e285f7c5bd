using Booking.Appointments.Features.Requests;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.Notifications.Contracts;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Options;

namespace Booking.Host.Pages.Staff;

/// <summary>
/// The base of every signed-in staff page. The tenant comes from the staff session (never from the URL); a
/// `?name=` that names another business is refused, as on the API. No session → the sign-in page, coming back
/// here afterwards. A role the page does not allow → a 403 page. Setup pages allow owner and admin; the diary
/// pages override <see cref="AllowedRoles"/> to let practitioners in.
/// </summary>
[StaffSessionUser] // the user is known before antiforgery checks a post, so tokens are bound to the staff member
public abstract class StaffPageModel : PageModel
{
    /// <summary>Roles that may open this page; owner and admin unless a page says otherwise.</summary>
    protected virtual IReadOnlyList<string> AllowedRoles => StaffRoles.Setup;

    /// <summary>What a role outside <see cref="AllowedRoles"/> is told.</summary>
    protected virtual string RoleRefusal => "Only the business's owner and admins can open this page. Your diary is still open to you.";

    public TenantInfo Business { get; private set; } = null!;

    /// <summary>
    /// An appointment's status in plain words (the API's status strings stay the CSS class); with how it ended (the API's
    /// <c>ended</c>), a booking request that ended before anyone confirmed it says so, not "Cancelled".
    /// </summary>
    public static string StatusText(string status, string? ended = null) => ended switch
    {
        "withdrawn" => "Request withdrawn by the client",
        "declined" => "Request declined",
        "request-cancelled" => "Request cancelled by staff",
        _ => StatusOnly(status),
    };

    private static string StatusOnly(string status) => status switch
    {
        "requested" => "Requested, awaiting confirmation",
        "confirmed" => "Confirmed",
        "cancellation-requested" => "Cancellation requested",
        "cancelled" => "Cancelled",
        "declined" => "Declined",
        "completed" => "Completed",
        "no-show" => "No-show",
        _ => status,
    };

    public Guid StaffId { get; private set; }

    public string StaffName { get; private set; } = "";

    public string StaffRole { get; private set; } = "";

    public bool CanChangeSetup => StaffRoles.Setup.Contains(StaffRole);

    private Task<int>? openRequests;

    /// <summary>
    /// How many booking and cancellation requests wait for a decision, for the menu's "Requests (3)" and the Requests
    /// page's heading: one count query, made only when a page that shows it renders for someone who may decide them
    /// (owners and admins); others get 0 without a query.
    /// </summary>
    public Task<int> OpenRequestCountAsync() =>
        !CanChangeSetup ? Task.FromResult(0)
        : openRequests ??= HttpContext.RequestServices.GetRequiredService<ISender>().Send(new CountOpenRequests(), HttpContext.RequestAborted).AsTask();

    private Task<MyEmailConfirmation?>? unconfirmedEmail;

    /// <summary>
    /// The signed-in person's sign-in email while request emails are held back from it (the notice on Setup → Client
    /// Portal and Requests, <c>_EmailConfirmNotice</c>), else null: proven by a confirmation or reset link (Tenancy), or
    /// confirmed in the business as a diary contact or extra address (Notifications mails it then too). Asked only when
    /// a page shows the notice.
    /// </summary>
    public Task<MyEmailConfirmation?> UnconfirmedEmailAsync() => unconfirmedEmail ??= LoadUnconfirmedEmailAsync();

    private async Task<MyEmailConfirmation?> LoadUnconfirmedEmailAsync()
    {
        var sender = HttpContext.RequestServices.GetRequiredService<ISender>();
        var me = await sender.Send(new GetMyEmailConfirmation(StaffId), HttpContext.RequestAborted);
        if (me.Confirmed)
        {
            return null;
        }

        var states = await sender.Send(new GetAddressConfirmations([me.Email]), HttpContext.RequestAborted);
        return states.Any(s => s.State == AddressConfirmationStates.Confirmed) ? null : me;
    }

    /// <summary>The business's clock for every time of day the page shows: its setting, else its country's (portal settings, cached).</summary>
    public TimeFormat TimeFormat { get; private set; } = TimeFormat.TwentyFourHour;

    /// <summary>The order every date the page shows is written in: the business's country's (CLDR; no setting).</summary>
    public DateStyle Dates { get; private set; } = DateStyle.DayFirst;

    /// <summary>The business's date of an instant, written in its country's order ("Saturday 5 December 2026").</summary>
    public string LongDate(DateTimeOffset at) =>
        Dates.Long(NodaTime.Instant.FromDateTimeOffset(at).InZone(NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(Business.TimeZone) ?? NodaTime.DateTimeZone.Utc).Date);

    /// <summary>How clients can sign in to the portal now (both off while the portal is off), for help texts that speak of it.</summary>
    public PortalSignInMethods SignInMethods { get; private set; } = new(true, true);

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        var auth = await http.AuthenticateAsync(AuthSchemes.Staff);
        var named = http.Request.Query["name"].ToString();
        if (!auth.Succeeded
            || !Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var tenantId)
            || !Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Subject)?.Value, out var staffId))
        {
            context.Result = SignInRedirect(http, named);
            return;
        }

        var directory = http.RequestServices.GetRequiredService<ITenantDirectory>();
        var tenant = await directory.FindByIdAsync(tenantId, http.RequestAborted);
        if (tenant is not { Active: true })
        {
            await http.SignOutAsync(AuthSchemes.Staff);
            context.Result = SignInRedirect(http, named);
            return;
        }

        if (named.Length > 0 && !string.Equals(Slug.Normalise(named), tenant.Slug, StringComparison.Ordinal))
        {
            context.Result = Stopped(403, "This page belongs to another business",
                $"You are signed in to {tenant.Name}. Sign out first to work on another business.");
            return;
        }

        var role = auth.Principal.FindFirst(BookingClaims.Role)?.Value ?? "";
        if (!AllowedRoles.Contains(role))
        {
            context.Result = Stopped(403, "Not available to your role", RoleRefusal);
            return;
        }

        http.User = auth.Principal;
        http.RequestServices.GetRequiredService<ITenantContext>().Set(tenant);
        http.RequestServices.GetRequiredService<IStaffContext>().Set(new StaffInfo(staffId, role));
        Business = tenant;
        RememberBusiness(http, tenant.Slug);
        StaffId = staffId;
        StaffRole = role;
        StaffName = auth.Principal.FindFirst(BookingClaims.Name)?.Value ?? "";
        var settings = await http.RequestServices.GetRequiredService<ISender>().Send(new GetPortalSettings(), http.RequestAborted);
        SignInMethods = settings.Enabled ? settings.SignInMethods : new PortalSignInMethods(false, false);
        TimeFormat = TimeFormat.For(tenant.CountryCode, settings.TimeFormat);
        Dates = DateStyle.ForCountry(tenant.CountryCode);
        await next();
    }

    /// <summary>A whole page saying why the request stopped (403 etc.), in the staff look, without the page's own body.</summary>
    protected PartialViewResult Stopped(int status, string title, string message) => new()
    {
        ViewName = "_StaffStopped",
        ViewData = new ViewDataDictionary<StaffStoppedModel>(ViewData, new StaffStoppedModel(title, message)),
        StatusCode = status,
    };

    /// <summary>
    /// To the sign-in page, coming back here afterwards. Without a <c>?name=</c>, the business this browser last worked
    /// in (<see cref="RememberBusiness"/>), so someone whose session was ended (removed from the team, role changed) is
    /// not asked for the business's booking name; a request that still carried a staff session cookie adds
    /// <c>ended=1</c>, and the page says why they are signed out. Also the answer to a form posted after the session
    /// ended (<see cref="Booking.Host.Web.ExpiredForms"/>): the return address is then the page, opened again by a GET.
    /// </summary>
    internal static RedirectResult SignInRedirect(HttpContext http, string named, bool? ended = null)
    {
        var back = Uri.EscapeDataString(http.Request.Path + http.Request.QueryString);
        if (named.Length == 0 && http.Request.Cookies[BusinessCookieName(http)] is { Length: > 0 } remembered)
        {
            named = remembered;
        }

        var name = named.Length > 0 ? $"name={Uri.EscapeDataString(named)}&" : "";
        var endedNote = ended ?? http.Request.Cookies.ContainsKey(StaffCookie(http).Name!) ? "ended=1&" : "";
        return new RedirectResult($"/staff/sign-in?{name}{endedNote}returnUrl={back}");
    }

    /// <summary>
    /// Whether this browser has worked as staff: it carries a staff session cookie, or the business it last worked in
    /// (kept after signing out). A post without either had no staff session behind it.
    /// </summary>
    internal static bool WorkedAsStaff(HttpContext http) =>
        http.Request.Cookies.ContainsKey(StaffCookie(http).Name!) || http.Request.Cookies.ContainsKey(BusinessCookieName(http));

    private static CookieBuilder StaffCookie(HttpContext http) =>
        http.RequestServices.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(AuthSchemes.Staff).Cookie;

    /// <summary>The staff cookie's name and rules with "-business": the business's name (its slug, not a secret) only.</summary>
    private static string BusinessCookieName(HttpContext http) => StaffCookie(http).Name + "-business";

    private static void RememberBusiness(HttpContext http, string slug)
    {
        var name = BusinessCookieName(http);
        if (http.Request.Cookies[name] != slug)
        {
            var options = StaffCookie(http).Build(http);
            options.Expires = DateTimeOffset.UtcNow.AddDays(90);
            http.Response.Cookies.Append(name, slug, options);
        }
    }
}

public sealed record StaffStoppedModel(string Title, string Message);
