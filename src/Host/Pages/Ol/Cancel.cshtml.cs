using Booking.BuildingBlocks.Time;
using Booking.PortalAuth.Features.Me;
using Booking.Appointments.Features.PortalAppointments;
using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// Cancel one of the client's appointments under the business's policy: outside the window it is cancelled; inside
/// it the page shows the policy text and refuses, or files a cancellation request where the business takes them.
/// </summary>
public sealed class CancelModel(TimeProvider clock) : PortalPageModel
{
    protected override bool RequiresClient => true;

    protected override PortalAccess RequiredAccess => PortalAccess.Cancel;

    [BindProperty(SupportsGet = true)]
    public string? Id { get; set; }

    [BindProperty]
    public CancelInput Input { get; set; } = new();

    public PortalAppointmentView? Appointment { get; private set; }

    /// <summary>The server refused (policy window): show the policy text.</summary>
    public string? Refusal { get; private set; }

    /// <summary>After a cancel where the business hides the list: "cancelled", "withdrawn" (a booking request) or
    /// "cancellation-requested" (<see cref="PortalNotice"/>).</summary>
    public string? Done { get; private set; }

    /// <summary>What a cancel came to, as the page after it says it (this page, or My appointments). A booking request
    /// still waiting is withdrawn, the emails' and texts' word for it, not cancelled.</summary>
    public static string? Outcome(string? done, string business) => done switch
    {
        "cancelled" => "Your appointment is cancelled.",
        "withdrawn" => "Your booking request is withdrawn.",
        "cancellation-requested" => $"Your cancellation request was sent to {business}.",
        KeptOnRequest => "Your cancellation request is withdrawn: your appointment stands.",
        _ => null,
    };

    /// <summary>The outcome of "Keep my appointment": the client withdrew their cancellation request.</summary>
    public const string KeptOnRequest = "kept";

    /// <summary>The status an outcome leaves the appointment in: a withdrawn request is cancelled, a kept appointment confirmed.</summary>
    public static string? StatusAfter(string? done) => done switch
    {
        "withdrawn" => "cancelled",
        KeptOnRequest => "confirmed",
        _ => done,
    };

    /// <summary>
    /// The client's cancellation request waits for the business: the page says so and offers to withdraw it ("Keep my
    /// appointment", KeepMyAppointment, as POST /api/v1/portal/appointments/{id}/keep).
    /// </summary>
    public bool AwaitsDecision => Appointment?.Status == "cancellation-requested";

    /// <summary>"Keep my appointment" was refused: the business decided the request meanwhile (the problem's words).</summary>
    public string? KeepRefusal { get; private set; }

    /// <summary>A booking request still waiting for the business (or one just withdrawn): the page speaks of withdrawing it.</summary>
    public bool IsRequest => Appointment?.Status == "requested" || Appointment?.Ended == "withdrawn" || Done == "withdrawn";

    /// <summary>
    /// Why an appointment that is not confirmed or requested has nothing to cancel, in words (never a status code); a
    /// booking request that ended says how, not "cancelled".
    /// </summary>
    public static string NotCancellable(string status, string? ended = null) => ended switch
    {
        "withdrawn" => "You have already withdrawn this booking request; nothing was booked.",
        "declined" => "This booking request was declined, so nothing was booked.",
        "request-cancelled" => "The business cancelled this booking request, so nothing was booked.",
        _ => NotCancellableByStatus(status),
    };

    private static string NotCancellableByStatus(string status) => status switch
    {
        "cancelled" => "This appointment is already cancelled.",
        "cancellation-requested" => "You have already asked to cancel this appointment; the business will let you know.",
        "completed" => "This appointment has already taken place.",
        "started" => "This appointment has already started.",
        "no-show" => "The business recorded this appointment as missed.",
        _ => "This appointment cannot be cancelled online.",
    };

    /// <summary>
    /// The window this appointment was booked under (decision 270): the policy it keeps, not today's. Before an
    /// appointment is read, the business's.
    /// </summary>
    public AppointmentCancellationTerms Terms => Appointment?.CancellationPolicy
        ?? new AppointmentCancellationTerms(Settings.CancellationPolicy.Hours, Settings.CancellationPolicy.InsideWindow);

    /// <summary>
    /// The policy's words: the business's text while its policy is the appointment's, else the appointment's window in
    /// plain words and what holds after it (the words of the API's refusal, Appointments' <c>PortalAccess.PolicyText</c>).
    /// </summary>
    public string PolicyText
    {
        get
        {
            var current = Settings.CancellationPolicy;
            if (Terms.Hours == current.Hours && Terms.InsideWindow == current.InsideWindow)
            {
                // A blank text with a window can only be one saved before the settings required words (decision 250): say the window itself.
                return NoticePeriod.AsWritten(current.Text, current.Hours);
            }

            // Booked under other terms: those still hold (decision 270), and the words go on to say what holds after the
            // window, with how to reach the business where the window refuses (decision 325), as the API's refusal does.
            return NoticePeriod.AsBookedWithAfter(Terms.Hours, Terms.TakesRequests, Business.Name,
                Settings.Contact.PhoneDisplay ?? Settings.Contact.Phone, Settings.Contact.Email);
        }
    }

    public bool ByRequest => Terms.TakesRequests;

    /// <summary>
    /// "Harbour Physio has since closed on this day. …" (the answer's <c>onClosedDay</c>, decision 325), with what the
    /// client can do; only where the page offers its cancel (else it says why not, with the contact, itself).
    /// </summary>
    public string? ClosedDayNote => Appointment is { OnClosedDay: true } a
        ? ClosedDay.Note(Business.Name, a, clock.GetUtcNow(), a.CanCancel && !Happened && !AwaitsDecision ? ClosedDay.Here.Cancel : ClosedDay.Here.Elsewhere, Chrome.HasContact)
        : null;

    /// <summary>Started, taken place or its outcome recorded (or the server said so): there is nothing to cancel, and no policy applies.</summary>
    public bool Happened => HappenedRefused || Appointment is { } a && (a.Status is "completed" or "no-show"
        || a.Status is "confirmed" or "requested" && a.Start <= clock.GetUtcNow());

    private bool HappenedRefused { get; set; }

    /// <summary>
    /// For <see cref="NotCancellable"/>: "started" while it runs, "no-show" where staff recorded it as missed (not "taken
    /// place": the client did not come), else "completed" (taken place).
    /// </summary>
    public string HappenedAs => Appointment switch
    {
        { Status: "no-show" } => "no-show",
        { Status: "confirmed" or "requested" } a when a.End > clock.GetUtcNow() => "started",
        _ => "completed",
    };

    /// <summary>
    /// Confirmed, upcoming, inside the window of a business that takes requests, yet not cancellable: staff kept it on the
    /// client's earlier request (<c>cancellation-declined</c>), or the server just said so.
    /// </summary>
    public bool Kept => KeptRefused || !UsedUp && Appointment is { Status: "confirmed", CanCancel: false } a && ByRequest && !Happened
        && Terms.IsInside(a.Start, clock.GetUtcNow()) && Settings.AccessLevels.Cancel;

    /// <summary>
    /// Confirmed, upcoming, inside the window of a business that takes requests, and the client has taken back as many
    /// requests to cancel it as they may (decision 309, <c>cancellation-request-limit</c>), or the server just said so:
    /// the page says to contact the business instead of offering a button that would be refused.
    /// </summary>
    public bool UsedUp => UsedUpRefused || Appointment is { Status: "confirmed", CancellationRequestsUsedUp: true } a && ByRequest
        && !Happened && Terms.IsInside(a.Start, clock.GetUtcNow()) && Settings.AccessLevels.Cancel;

    private bool UsedUpRefused { get; set; }

    private bool KeptRefused { get; set; }

    /// <summary>Inside the window where the business takes requests: the button files a request.</summary>
    public bool AsRequest => Appointment is { Status: "confirmed" } a && ByRequest
        && Terms.IsInside(a.Start, clock.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Appointment is null)
        {
            await NotMineAsync(cancellationToken);
        }
        else
        {
            Done = PortalNotice.Take(TempData, Business.Id, Appointment.Id);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Appointment is null)
        {
            await NotMineAsync(cancellationToken);
            return Page();
        }

        try
        {
            var outcome = await Sender.Send(new CancelMyAppointment(ClientId!.Value, Appointment.Id, Input.Reason), cancellationToken);
            var done = outcome.Status == StatusCodes.Status202Accepted ? "cancellation-requested"
                : outcome.Withdrew ? "withdrawn" // as the cancel found it: staff may have accepted the request since the page read it
                : "cancelled";
            // Without the list, this page says what happened (the landing page would say nothing).
            PortalNotice.Keep(TempData, Business.Id, Appointment.Id, done);
            return Redirect(Settings.AccessLevels.View
                ? PortalUrl("/ol/appointments")
                : PortalUrl("/ol/cancel", ("id", Appointment.Id.ToString())));
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "reason" ? "Input.Reason" : ""))
        {
            switch (PageProblems.Kind(ex))
            {
                case "policy-window":
                    ModelState.Remove("");
                    Refusal = PolicyText;
                    break;
                case "already-happened":
                    ModelState.Remove("");
                    HappenedRefused = true;
                    break;
                case "cancellation-declined":
                    ModelState.Remove("");
                    KeptRefused = true;
                    break;
                case "cancellation-request-limit":
                    ModelState.Remove("");
                    UsedUpRefused = true;
                    break;
            }

            return Page();
        }
    }

    /// <summary>"Keep my appointment": withdraws the client's open cancellation request; the appointment stands.</summary>
    public async Task<IActionResult> OnPostKeepAsync(CancellationToken cancellationToken)
    {
        Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
        if (Appointment is null)
        {
            await NotMineAsync(cancellationToken);
            return Page();
        }

        try
        {
            await Sender.Send(new KeepMyAppointment(ClientId!.Value, Appointment.Id), cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, Appointment.Id, KeptOnRequest);
            return Redirect(Settings.AccessLevels.View
                ? PortalUrl("/ol/appointments")
                : PortalUrl("/ol/cancel", ("id", Appointment.Id.ToString())));
        }
        catch (ProblemException ex) when (ex.Kind is ProblemKinds.NoOpenCancellationRequest or ProblemKinds.ChangedMeanwhile)
        {
            // Decided (or still being changed) meanwhile: say so, above the appointment as it is now.
            KeepRefusal = ex.Detail;
            Appointment = await MyAppointment.FindAsync(Sender, ClientId!.Value, Id, cancellationToken);
            return Page();
        }
    }

    /// <summary>
    /// No appointment of the signed-in client's by this id (another client's, gone, or not an id: alike): 404, and the
    /// page says whose account this is with a sign-out that comes back here (a link from an email sent to someone else).
    /// </summary>
    public NotInThisAccount? NotMine { get; private set; }

    private async Task NotMineAsync(CancellationToken cancellationToken)
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        NotMine = await NotInThisAccount.ForAsync(this, Sender, PortalUrl("/ol/cancel", ("id", Id)), cancellationToken);
    }

    public sealed class CancelInput
    {
        public string? Reason { get; set; }
    }
}


/// <summary>
/// What <c>Shared/_NotInThisAccount.cshtml</c> shows when a page's appointment is not the signed-in client's: who is
/// signed in (their name, and their email, else their verified mobile), and the sign-out that comes back to the page.
/// </summary>
public sealed record NotInThisAccount(string Who, string SignOutUrl, string HomeUrl, string HomeText)
{
    /// <summary>
    /// For <paramref name="page"/>, whose own address (<paramref name="returnUrl"/>, built from the id as given, whatever
    /// it is) the sign-out returns to: the same for an id of another client as for one that does not exist.
    /// </summary>
    public static async Task<NotInThisAccount> ForAsync(PortalPageModel page, Mediator.ISender sender, string returnUrl, CancellationToken cancellationToken)
    {
        var me = await sender.Send(new GetPortalMe(page.ClientId!.Value), cancellationToken);
        var name = $"{me.FirstName} {me.LastName}".Trim();
        var reach = me.Email ?? (me.MobileVerified ? me.Mobile : null);
        var who = reach is null ? name : name.Length == 0 ? reach : $"{name}, {reach}";
        var home = page.HomeLink;
        return new(who, page.PortalUrl("/ol/sign-out", ("returnUrl", returnUrl)), home.Url, home.Text);
    }
}
