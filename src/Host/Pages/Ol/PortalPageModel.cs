using System.Diagnostics;
using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Time;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Me;
using Booking.Services.Contracts;
using Booking.PortalAuth.Features.Sessions;
using Booking.Tenancy.Contracts;
using Mediator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Booking.Host.Pages.Ol;

/// <summary>Which access level a portal page needs from the business's settings.</summary>
public enum PortalAccess
{
    None,
    View,
    Book,
    Cancel,

    /// <summary>One appointment of the client's own, by its id: any access level (the module's <c>PortalAccess.MayReadOne</c>).</summary>
    OneAppointment,
}

/// <summary>
/// The base of every client-portal page: resolves the business from ?name= (friendly 400/404 pages), sets the
/// tenant, reads the portal settings and the client's session (a session of another business counts as none),
/// and refuses with a friendly page when the portal, the page's access level or its sign-in method is off.
/// Pages hold no business logic: they send the same mediator requests as the API endpoints.
/// </summary>
public abstract class PortalPageModel : PageModel
{
    private long startedAt;

    public TenantInfo Business { get; private set; } = null!;

    public PortalSettingsView Settings { get; private set; } = null!;

    /// <summary>The signed-in client of this business, when there is one (and the page reads the session).</summary>
    public Guid? ClientId { get; private set; }

    /// <summary>
    /// The signed-in client joined by phone and has not filed their first booking request: only the booking flow is
    /// open to them (<see cref="FirstRequest"/>); other signed-in pages send them there.
    /// </summary>
    public bool AwaitingFirstRequest { get; private set; }

    public PortalChrome Chrome { get; private set; } = null!;

    /// <summary>How this business's times read on its pages (its zone named on the days the clocks change).</summary>
    public PortalTime Times { get; private set; } = null!;

    public string Slug => Business.Slug;

    protected ISender Sender => HttpContext.RequestServices.GetRequiredService<ISender>();

    /// <summary>True: no session → redirect to sign-in (keeping ?name=).</summary>
    protected virtual bool RequiresClient => false;

    /// <summary>
    /// False on pages that sign a client in: the cookie handler must not have authenticated the old session
    /// before PortalSessions.SignInAsync replaces it (it would renew the old session id instead).
    /// </summary>
    protected virtual bool ReadsSession => true;

    protected virtual PortalAccess RequiredAccess => PortalAccess.None;

    /// <summary>The booking flow's pages: open to a client who has not filed their first booking request yet.</summary>
    protected virtual bool OpenBeforeFirstRequest => false;

    /// <summary>
    /// A page that <see cref="RequiresClient"/> may still answer a visitor without a session when this says so (the
    /// confirm page while nothing can be booked: signing in first would lead only to that note).
    /// </summary>
    protected virtual ValueTask<bool> ShowsSignedOutAsync(CancellationToken cancellationToken) => ValueTask.FromResult(false);

    /// <summary>Register and the new-client flow: refused while the business takes no new clients.</summary>
    protected virtual bool ForNewClients => false;

    /// <summary>"email" or "phone": the sign-in method the page belongs to.</summary>
    protected virtual string? SignInMethod => null;

    /// <summary>The landing page shows the portal-off message itself (with the business's look).</summary>
    protected virtual bool ShowsPortalOffItself => false;

    /// <summary>Sign-out: a client must be able to leave even while the business has switched its portal off.</summary>
    protected virtual bool WorksWhilePortalOff => false;

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        startedAt = Stopwatch.GetTimestamp();
        Response.OnStarting(() =>
        {
            // Server time of the page (handler and rendering), for the portal benchmark and the browser's dev tools.
            Response.Headers["Server-Timing"] = $"page;dur={Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds:0.0}";
            return Task.CompletedTask;
        });

        var ct = HttpContext.RequestAborted;
        var resolver = HttpContext.RequestServices.GetRequiredService<TenantResolver>();
        switch (await resolver.FromQueryAsync(Request.Query, ct))
        {
            case TenantLookup.Found found:
                Business = found.Tenant;
                Times = PortalTime.For(Business.TimeZone, TimeFormat.ForCountry(Business.CountryCode), DateStyle.ForCountry(Business.CountryCode));
                break;
            case TenantLookup.Malformed malformed:
                context.Result = Gate(PortalGateView.Malformed(malformed.Message));
                return;
            case TenantLookup.Missing:
                context.Result = Gate(PortalGateView.Missing());
                return;
            default:
                context.Result = Gate(PortalGateView.UnknownBusiness());
                return;
        }

        HttpContext.RequestServices.GetRequiredService<ITenantContext>().Set(Business);
        HttpContext.Items[Diagnostics.TenantItem] = Business.Slug;
        Settings = await Sender.Send(new GetPortalSettings(), ct);
        Times = PortalTime.For(Business.TimeZone, TimeFormat.For(Business.CountryCode, Settings.TimeFormat), DateStyle.ForCountry(Business.CountryCode));

        bool? hasPassword = null;
        if (ReadsSession)
        {
            var auth = await HttpContext.AuthenticateAsync(AuthSchemes.Portal);
            if (auth.Succeeded
                && Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Tenant)?.Value, out var tenantId) && tenantId == Business.Id
                && Guid.TryParse(auth.Principal.FindFirst(BookingClaims.Subject)?.Value, out var clientId))
            {
                if (await PortalSignInMethod.SwitchedOffAsync(HttpContext, auth.Principal, ct) is { } switchedOff)
                {
                    // The business switched off the way this session signed in (decision 250): it ends here, and the
                    // page says why and how to sign in now.
                    await PortalSignInMethod.EndSessionAsync(HttpContext);
                    context.Result = Gate(SessionEndedGate(switchedOff));
                    return;
                }

                // HttpContext.User stays anonymous: antiforgery validates before this filter runs, so a token
                // issued for the client's principal would not match on the post.
                ClientId = clientId;
                hasPassword = PortalSessions.HasPassword(auth.Principal); // kept by the session: no query
                // Only a session with the mark looks at the client's row, and only on a page outside the booking flow
                // (another device may have filed the request meanwhile: the mark then goes).
                AwaitingFirstRequest = FirstRequest.IsAwaiting(auth.Principal)
                    && (OpenBeforeFirstRequest || await FirstRequest.StillAwaitingAsync(HttpContext,
                        HttpContext.RequestServices.GetRequiredService<IFirstRequestGate>(), clientId, ct));
            }
        }

        // The menu's "Password": the session says whether the client has one; a session begun before sessions said it asks.
        var offersPassword = ClientId is { } signedIn && Settings.SignInMethods.Email
            && (hasPassword ?? await Sender.Send(new ClientHasPassword(signedIn), ct));
        Chrome = PortalChrome.For(Business, Settings, ClientId is not null, offersPassword, AwaitingFirstRequest);
        ViewData[PortalChrome.Key] = Chrome;

        if (!Settings.Enabled && !ShowsPortalOffItself && !WorksWhilePortalOff)
        {
            context.Result = Gate(PortalGateView.PortalOff(Business.Name));
            return;
        }

        if (SignInMethod == "email" && !Settings.SignInMethods.Email || SignInMethod == "phone" && !Settings.SignInMethods.Phone)
        {
            context.Result = Gate(await MethodOffGateAsync());
            return;
        }

        if (ForNewClients && !TakesNewClients)
        {
            context.Result = Gate(PortalGateView.NotAcceptingNewClients(Business.Name));
            return;
        }

        if (RequiresClient && ClientId is null && !await ShowsSignedOutAsync(ct))
        {
            context.Result = Redirect(SignInUrl(Request.Path + Request.QueryString));
            return;
        }

        if (RequiresClient && AwaitingFirstRequest && !OpenBeforeFirstRequest)
        {
            // The booking request comes first; the booking page says so.
            context.Result = Redirect(PortalUrl("/ol/new-booking"));
            return;
        }

        var access = RequiredAccess switch
        {
            PortalAccess.View => (Settings.AccessLevels.View, "see their appointments"),
            PortalAccess.Book => (Settings.AccessLevels.Book, "book appointments"),
            PortalAccess.Cancel => (Settings.AccessLevels.Cancel, "cancel appointments"),
            PortalAccess.OneAppointment => (Booking.Appointments.Features.PortalAppointments.PortalAccess.MayReadOne(Settings.AccessLevels), "see their appointments"),
            _ => (true, ""),
        };
        if (!access.Item1)
        {
            context.Result = Gate(PortalGateView.AccessOff(Business.Name, access.Item2));
            return;
        }

        // A registration that gave a mobile: the first page shown afterwards says how to sign in with it (only where
        // proving one is offered). Used up only by a page that is shown, not by a redirect on the way.
        if (ClientId is { } client && Settings.SignInMethods.Phone && !AwaitingFirstRequest && VerifyMobileNotice.Waits(TempData, Business.Id, client))
        {
            Chrome = Chrome with { VerifyMobileNotice = true };
            ViewData[PortalChrome.Key] = Chrome;
        }

        var executed = await next();
        if (Chrome.VerifyMobileNotice && executed.Exception is null && executed.Result is null or PageResult)
        {
            VerifyMobileNotice.Forget(TempData);
        }
    }

    /// <summary>
    /// Why nothing can be booked online (Services' <c>GetOnlineBookability</c>, <c>NotBookableReasons</c>: nothing set up
    /// yet, or every time taken), null when something can; read by the booking pages (<see cref="ReadBookabilityAsync"/>).
    /// </summary>
    public string? NotBookableReason { get; private set; }

    /// <summary>Clients may book, but nothing can be booked: the booking pages say so with the business's contact (review J10).</summary>
    public bool NothingToBook => NotBookableReason is not null;

    /// <summary>
    /// Newcomers may join online: the business accepts new clients and lets clients book online (PortalAuth's
    /// <c>PortalRules.TakesNewClients</c>, decision 250). With booking off a newcomer could not file the request that
    /// joining by phone ends in, nor find anything to see: they are not invited, and the new-client pages say plainly why.
    /// </summary>
    public bool TakesNewClients => Settings.AcceptingNewClients && Settings.AccessLevels.Book;

    /// <summary>
    /// "New here? Create an account" (the landing, sign-in) and "New clients start here too" (the phone page) only where
    /// a newcomer could go on to book (s42 review #6): the business takes new clients and something is bookable online
    /// (fully booked still counts: times free up). Not while a business is still setting up or closed for now, where an
    /// account leads nowhere. Reads the kept bookability once per request (<see cref="ReadBookabilityAsync"/>).
    /// </summary>
    public async Task<bool> OffersJoiningAsync()
    {
        if (!TakesNewClients)
        {
            return false;
        }

        await ReadBookabilityAsync(HttpContext.RequestAborted);
        return NotBookableReason != NotBookableReasons.NothingBookable;
    }

    /// <summary>
    /// The same answer <c>GET /api/v1/portal/business</c> gives as <c>takingBookings</c>, kept per business: no query. Read
    /// once per request, so a page that asks twice (the signed-out check, then its handler) gives one answer.
    /// </summary>
    protected async Task ReadBookabilityAsync(CancellationToken cancellationToken)
    {
        if (bookabilityRead)
        {
            return;
        }

        var bookability = await Sender.Send(new GetOnlineBookability(), cancellationToken);
        NotBookableReason = bookability.Bookable ? null : bookability.Reason ?? NotBookableReasons.NothingBookable;
        bookabilityRead = true;
    }

    private bool bookabilityRead;

    /// <summary>
    /// A booking the desk refused because nothing can be booked (<c>slot-unavailable</c> with a <c>reason</c>, decision 158):
    /// the page shows the note rather than an error line. False for any other problem.
    /// </summary>
    protected bool ShowNothingToBook(Exception exception)
    {
        if (exception is ProblemException { Kind: ProblemKinds.SlotUnavailable } problem
            && problem.Extensions.TryGetValue("reason", out var reason) && reason is string why)
        {
            NotBookableReason = why;
            bookabilityRead = true;
            return true;
        }

        return false;
    }

    private Task<bool>? emailClientsLeftOut;

    /// <summary>
    /// Whether the business has clients who could sign in only with their email (no mobile proven), who are shut out while
    /// email sign-in is off: only then do the pages tell "if you used to sign in with your email, ask … to add your
    /// mobile" (<see cref="PortalSignInHelp.EmailOff"/>). One "is there any" read (not a count), asked only by a page that
    /// would show the note.
    /// </summary>
    public Task<bool> EmailClientsLeftOutAsync() => emailClientsLeftOut ??= AnyEmailOnlyAsync();

    /// <summary>
    /// Whether a client who could only sign in by phone (a mobile, no email) is left out while phone sign-in is off:
    /// only then does the portal say "if you used to sign in with your mobile" (a business that never offered phone
    /// sign-in has nobody to say it to). Read once per request.
    /// </summary>
    public Task<bool> PhoneClientsLeftOutAsync() => phoneClientsLeftOut ??= Sender.Send(new Booking.PortalAuth.Contracts.AnyPhoneOnlyClients(), HttpContext.RequestAborted).AsTask();

    private Task<bool>? phoneClientsLeftOut;

    private async Task<bool> AnyEmailOnlyAsync() =>
        await Sender.Send(new Booking.PortalAuth.Contracts.AnyEmailOnlyClients(), HttpContext.RequestAborted);

    /// <summary>
    /// Whether the whole business is closed on the day (one of its closed days, Setup → Roster, decision 289), so no diary
    /// has times on it: the booking page and the Change time page ask this of a day with no times, and say
    /// <see cref="NoFreeTimes"/> (decision 294: one check and one wording for both).
    /// </summary>
    protected async Task<bool> BusinessClosedOnAsync(NodaTime.LocalDate day, CancellationToken ct) =>
        (await Sender.Send(new Booking.Roster.Contracts.GetBusinessClosedDays(day.ToDateOnly(), day.ToDateOnly()), ct)).Count > 0;

    /// <summary>"… is closed that day.": the business's name, never staff's label for the closure (maybe "Staff training").</summary>
    public string ClosedThatDay => $"{Business.Name} is closed that day.";

    /// <summary>The line of a day with no free times: "No free times on this day.", and on a closed day why.</summary>
    public string NoFreeTimes(bool businessClosed) => businessClosed ? $"No free times on this day. {ClosedThatDay}" : "No free times on this day.";

    /// <summary>A portal URL of this business: path plus ?name= and any further query values.</summary>
    public string PortalUrl(string path, params (string Key, string? Value)[] query) =>
        PortalLinks.Url(path, Business.Slug, query);

    /// <summary>Where a page without a session sends the visitor: the sign-in the business offers, back here after.</summary>
    protected string SignInUrl(string? returnUrl) =>
        Settings.SignInMethods.Email || !Settings.SignInMethods.Phone
            ? PortalUrl("/ol/sign-in", ("returnUrl", returnUrl))
            : PortalUrl("/ol/phone", ("returnUrl", returnUrl));

    /// <summary>Where to go after signing in: a portal page of this business named by returnUrl, else the client's home page.</summary>
    protected string AfterSignIn(string? returnUrl) => ReturnTo(returnUrl) ?? Home();

    /// <summary>
    /// The end of every sign-in page (email and password, phone code): the session, marked as the client's standing says
    /// (<see cref="ClientStanding"/>, the sign-in's answer), then the return address, else the client's home by that
    /// standing: booking for a client who owes their first booking request, else My appointments, where a waiting
    /// request is said first thing.
    /// </summary>
    protected async Task<IActionResult> SignedInAsync(Guid clientId, ClientStanding standing, string? returnUrl, string method)
    {
        await PortalSessions.SignInAsync(HttpContext, Business.Id, clientId, standing.AwaitingFirstRequest, standing.HasPassword, method, standing.SecurityStamp);
        AwaitingFirstRequest = standing.AwaitingFirstRequest;
        return Redirect(AfterSignIn(returnUrl));
    }

    /// <summary>
    /// The return address when it is one of this business's portal pages (<see cref="PortalReturnUrl"/>), else null: a
    /// hostile or foreign one is dropped silently, and the page goes on as if none was given.
    /// </summary>
    public string? ReturnTo(string? returnUrl) =>
        PortalReturnUrl.Accept(returnUrl, Business.Slug) is { } accepted && Url.IsLocalUrl(accepted) ? accepted : null;

    /// <summary>
    /// Why a sign-in page was sent a return address, said above its form (<c>#sign-in-reason</c>): for the confirm page
    /// of a chosen time, the time restated ("Sign in to book Follow-up on Thursday 10 December 2026 at 11:00 AM.", s41
    /// review finding 9) from the accepted address's <c>service</c> and <c>start</c>, read as the confirm page reads them:
    /// the service's name from the business's services offered online and the time in its clock, never the query's text.
    /// A service not offered online or a start that is no time: <see cref="PortalReturnUrl.Reason"/>'s plain sentence.
    /// </summary>
    public async Task<string?> SignInReasonAsync(string? returnUrl)
    {
        var accepted = ReturnTo(returnUrl);
        var plain = PortalReturnUrl.Reason(accepted);
        if (accepted is null)
        {
            return plain;
        }

        var (path, query) = PortalReturnUrl.Parts(accepted);
        if (!string.Equals(path.TrimEnd('/'), "/ol/new-booking/confirm", StringComparison.OrdinalIgnoreCase))
        {
            return plain;
        }

        if (query.GetValueOrDefault("service") is not { Count: 1 } serviceText || !Guid.TryParse(serviceText[0], out var serviceId)
            || query.GetValueOrDefault("start") is not { Count: 1 } startText || string.IsNullOrWhiteSpace(startText[0])
            || Web.BusinessTimeBinder.Read(startText[0]!.Trim(), Business.TimeZone) is not { } start)
        {
            return plain;
        }

        var services = (await Sender.Send(new Booking.Services.Features.Portal.ListPortalServices(), HttpContext.RequestAborted)).Items;
        if (services.FirstOrDefault(s => s.Id == serviceId) is not { } service)
        {
            return plain;
        }

        try
        {
            return $"Sign in to book {service.Name} on {Times.When(start)}.";
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            return plain; // a time at the edge of the calendar the business's zone cannot name
        }
    }

    /// <summary>A signed-in client's home: their appointments, or booking when the business hides the list.</summary>
    protected string Home() => HomeLink.Url;

    /// <summary>
    /// The client's home and what a link to it says, for pages that send the client on: never a page switched off.
    /// Their appointments; booking where the business hides the list; the landing page where it offers neither.
    /// </summary>
    public (string Url, string Text) HomeLink =>
        Settings.AccessLevels.View && !AwaitingFirstRequest ? (PortalUrl("/ol/appointments"), "My appointments")
        : Settings.AccessLevels.Book ? (PortalUrl("/ol/new-booking"), "Book an appointment")
        : (PortalUrl("/ol/book"), $"Back to {Business.Name}");

    /// <summary>
    /// The page of a switched-off sign-in method. Signed out with the other method on, it says how to sign in instead and
    /// links there (an old bookmark of the email sign-in while only phone sign-in is offered); signed in, or with no
    /// other method, only that it is off.
    /// </summary>
    private async Task<PortalGateView> MethodOffGateAsync()
    {
        var email = SignInMethod == "email";
        var method = email ? "email and password" : "mobile phone";
        var returnUrl = Request.Query["returnUrl"].ToString();
        return (email, ClientId is null) switch
        {
            (true, true) when Settings.SignInMethods.Phone && Request.Path.StartsWithSegments("/ol/register", StringComparison.OrdinalIgnoreCase) =>
                PortalGateView.MethodOff(Business.Name, method, PortalSignInHelp.EmailOffForNewVisitor(Business.Name),
                    (PortalUrl("/ol/phone", ("returnUrl", returnUrl)), "Start with your mobile")),
            (true, true) when Settings.SignInMethods.Phone => PortalGateView.MethodOff(Business.Name, method,
                await EmailClientsLeftOutAsync() ? PortalSignInHelp.EmailOff(Business.Name) : null,
                (PortalUrl("/ol/phone", ("returnUrl", returnUrl)), "Sign in with your mobile")),
            (false, true) when Settings.SignInMethods.Email => PortalGateView.MethodOff(Business.Name, method, PortalSignInHelp.PhoneOff(Business.Name),
                (PortalUrl("/ol/sign-in", ("returnUrl", returnUrl)), "Sign in with your email")),
            _ => PortalGateView.MethodOff(Business.Name, method),
        };
    }

    /// <summary>The page a session ends on when the business has switched its sign-in method off: why, and the way in still offered.</summary>
    private PortalGateView SessionEndedGate(string method)
    {
        var email = method == PortalSignInMethod.Email;
        var what = email ? "email and password" : "a mobile and a code by SMS";
        var message = $"You have been signed out: {Business.Name} no longer offers signing in with {what}.";
        return (email, Settings.SignInMethods.Email, Settings.SignInMethods.Phone) switch
        {
            (true, _, true) => PortalGateView.SignedOut(message + " Sign in with your mobile instead. If your mobile is not on your account, ask " + Business.Name + " to add it, so you keep your appointments and details.",
                (PortalUrl("/ol/phone"), "Sign in with your mobile")),
            (false, true, _) => PortalGateView.SignedOut(message + " Sign in with your email and password instead. If you have no password yet, choose \"Forgot your password?\" there; if your email is not on your account, ask " + Business.Name + " to add it.",
                (PortalUrl("/ol/sign-in"), "Sign in with your email")),
            _ => PortalGateView.SignedOut(message, contactAsk: NotTakingBookingsWords.ContactDirectly),
        };
    }

    /// <summary>A page that says why this cannot go on (portal off, not taking new clients…), in the portal's look.</summary>
    protected ViewResult Gate(PortalGateView gate)
    {
        ViewData[PortalChrome.Key] ??= Business is null ? null : PortalChrome.For(Business, Settings, false);
        return new ViewResult
        {
            ViewName = "/Pages/Ol/Shared/_PortalGate.cshtml",
            StatusCode = gate.Status,
            ViewData = new ViewDataDictionary<PortalGateView>(ViewData, gate),
        };
    }
}
