using Booking.BuildingBlocks.Problems;
using Booking.Host.Web;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Sms;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// A page where a texted code is typed (phone sign-in's <c>/ol/phone/code</c>, Your details' <c>/ol/account/mobile/code</c>):
/// the attempt as its client may know it (decision 344, <see cref="GetPhoneCodeState"/>), so both say alike whether the
/// code's text could be sent, why a code no longer works, and offer a new code for an expired one, with one view of those
/// states (<c>Shared/_CodeStates.cshtml</c>). The pages differ only in what the query is scoped to (a sign-in's attempt,
/// or the signed-in client's own), where "start again" leads, and the sign-in page's other way in (email).
/// </summary>
public abstract class CodePageModel : PortalPageModel, ICodeEntryPage
{
    private readonly TimeProvider clock;
    private readonly IWebHostEnvironment environment;
    private readonly IConfiguration configuration;
    private readonly PortalAuthOptions options;

    protected CodePageModel(TimeProvider clock, IWebHostEnvironment environment, IConfiguration configuration, PortalAuthOptions options)
    {
        this.clock = clock;
        this.environment = environment;
        this.configuration = configuration;
        this.options = options;
    }

    [BindProperty(SupportsGet = true)]
    public string? Attempt { get; set; }

    /// <summary>Unix seconds from which a new code may be asked for (the cooldown the server answered).</summary>
    [BindProperty(SupportsGet = true)]
    public long? ResendAt { get; set; }

    [BindProperty]
    public CodeInput Input { get; set; } = new();

    /// <summary>The attempt cannot take a code any more: start again (or, for an expired code, a new one).</summary>
    public bool Dead { get; protected set; }

    /// <summary>Only where texts land on /dev/sms: in Development with the outbox adapter, not the carrier's.</summary>
    public bool ShowDevSmsHint => environment.IsDevelopment() && !SmsAdapter.UsesCarrier(configuration);

    /// <summary>The attempt as the client may know it (decision 344); null for an unknown attempt.</summary>
    public PhoneCodeState? State { get; private set; }

    /// <summary>The number the code went to, masked (<see cref="GetPhoneCodeState"/>); null when the attempt is unknown or used.</summary>
    public string? SentTo { get; private set; }

    /// <summary>The carrier refused the text for good (an invalid number): the page says so, and offers no resend that would fail too.</summary>
    public bool TextFailedForGood => State?.Text == CodeTextOutcome.FailedForGood;

    /// <summary>The text could not be sent just now (the carrier failed for now): a new code may get through.</summary>
    public bool TextFailedForNow => State?.Text == CodeTextOutcome.FailedForNow;

    /// <summary>The code expired while the attempt still takes a new one: the page offers "Send a new code" to the same number.</summary>
    public bool ExpiredButResendable => State is { End: CodeEnd.Expired, CanResend: true };

    public int SecondsToResend => ResendClock.SecondsUntil(ResendAt, clock);

    /// <summary>How long the code works, as its text says it (<see cref="PortalAuthOptions.CodeLifetimeWords"/>).</summary>
    public string CodeLifetime => options.CodeLifetimeWords;

    public abstract string CodeAction { get; }

    public abstract string ResendAction { get; }

    public abstract string RestartUrl { get; }

    /// <summary>Email sign-in, where the page is a sign-in and the business offers it: the other way in when texts do not arrive.</summary>
    public virtual string? EmailSignInUrl => null;

    /// <summary>A code that no longer works and takes no new one: where to start again, and what that link says.</summary>
    public abstract (string Url, string Text) StartAgain { get; }

    /// <summary>Another way on from a dead code beside <see cref="StartAgain"/> ("back to your details"), or none.</summary>
    public virtual (string Url, string Text)? OrElse => null;

    /// <summary>Whose attempt the state is read of: none for a sign-in's, the signed-in client for proving a mobile.</summary>
    protected abstract Guid? AttemptClientId { get; }

    /// <summary>The code page is a sign-in's: the words for a used or over attempt say "sign in".</summary>
    protected abstract bool SignsIn { get; }

    protected TimeProvider Clock => clock;

    protected async Task ReadStateAsync(CancellationToken cancellationToken)
    {
        State = await Sender.Send(new GetPhoneCodeState(Attempt, AttemptClientId), cancellationToken);
        SentTo = State?.SentTo;
    }

    /// <summary>On load: a code that no longer works says why at once, rather than after it is typed.</summary>
    protected async Task ReadForGetAsync(CancellationToken cancellationToken)
    {
        await ReadStateAsync(cancellationToken);
        if (State is { End: not CodeEnd.None } state)
        {
            Dead = true;
            ModelState.AddModelError("", CodeEndWords.For(state, CodeLifetime, SignsIn));
        }
    }

    /// <summary>
    /// After a refused code or resend: the state read again, and for a dead attempt the page-level message replaced by
    /// which of expired, used, too many wrong tries or over it was (the client's own attempt, finding 5).
    /// </summary>
    protected async Task SayWhyDeadAsync(Exception ex, CancellationToken cancellationToken)
    {
        await ReadStateAsync(cancellationToken);
        if (PageProblems.Kind(ex) == "attempt-expired" && State is { End: not CodeEnd.None } state)
        {
            ModelState.Remove("");
            ModelState.AddModelError("", CodeEndWords.For(state, CodeLifetime, SignsIn));
        }
    }

    /// <summary>
    /// "Send a new code" through the page's own command (<paramref name="send"/>): not sent when the carrier refused the
    /// number for good (it would fail the same way and count against the limits); a refused resend's wait said in the
    /// page's words (<see cref="CodeLimitWords"/>); else the code page of the new code, saying it was sent.
    /// </summary>
    protected async Task<IActionResult> ResendAsync(Func<CancellationToken, Task<CodeSent>> send, Func<CodeSent, string> codeUrl, CancellationToken cancellationToken)
    {
        await ReadStateAsync(cancellationToken);
        if (TextFailedForGood)
        {
            return Page();
        }

        try
        {
            var sent = await send(cancellationToken);
            return Redirect(codeUrl(sent) + "&resent=1");
        }
        catch (Exception ex) when (ex is ProblemException { Kind: ProblemKinds.RateLimited, RetryAfterSeconds: { } wait })
        {
            // The wait the server answered: the note and the button say it, never "now" (finding 4).
            ResendAt = clock.GetUtcNow().ToUnixTimeSeconds() + wait;
            ModelState.AddModelError("", CodeLimitWords.For(wait));
            return Page();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => ""))
        {
            Dead = PageProblems.Kind(ex) == "attempt-expired";
            await SayWhyDeadAsync(ex, cancellationToken);
            return Page();
        }
    }
}
