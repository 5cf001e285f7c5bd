using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Domain;
using Booking.Host.Web;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Sms;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>Step 2 of phone sign-in: the code. A phone on file signs in; an unknown phone goes to new-client.</summary>
public sealed class PhoneCodeModel(TimeProvider clock, NewClientTicket ticket, IWebHostEnvironment environment, IConfiguration configuration, PortalAuthOptions options)
    : PortalPageModel, ICodeEntryPage
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "phone";

    [BindProperty(SupportsGet = true)]
    public string? Attempt { get; set; }

    /// <summary>Unix seconds from which a new code may be asked for (the cooldown the server answered).</summary>
    [BindProperty(SupportsGet = true)]
    public long? ResendAt { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public CodeInput Input { get; set; } = new();

    /// <summary>The attempt cannot take a code any more: start again.</summary>
    public bool Dead { get; private set; }

    /// <summary>Only where texts land on /dev/sms: in Development with the outbox adapter, not the carrier's.</summary>
    public bool ShowDevSmsHint => environment.IsDevelopment() && !SmsAdapter.UsesCarrier(configuration);

    /// <summary>
    /// The attempt as the client may know it (decision 344): whether the latest code's text could be sent, and why a
    /// code no longer works; null for an unknown attempt.
    /// </summary>
    public PhoneCodeState? State { get; private set; }

    /// <summary>The carrier refused the text for good (an invalid number): the page says so, and offers no resend that would fail too.</summary>
    public bool TextFailedForGood => State?.Text == CodeTextOutcome.FailedForGood;

    /// <summary>The text could not be sent just now (the carrier failed for now): a new code may get through.</summary>
    public bool TextFailedForNow => State?.Text == CodeTextOutcome.FailedForNow;

    /// <summary>The code expired while the attempt still takes a new one: the page offers "Send a new code" to the same number.</summary>
    public bool ExpiredButResendable => State is { End: CodeEnd.Expired, CanResend: true };

    /// <summary>Email sign-in, where the business offers it: the other way in when texts do not arrive.</summary>
    public string? EmailSignInUrl => Settings.SignInMethods.Email ? PortalUrl("/ol/sign-in", ("returnUrl", ReturnUrl)) : null;

    public int SecondsToResend => ResendClock.SecondsUntil(ResendAt, clock);

    /// <summary>How long the code works, as its text says it (<see cref="PortalAuthOptions.CodeLifetimeWords"/>).</summary>
    public string CodeLifetime => options.CodeLifetimeWords;

    public string CodeAction => PortalUrl("/ol/phone/code", ("attempt", Attempt), ("resendAt", ResendAt?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("returnUrl", ReturnUrl));

    public string ResendAction => PortalUrl("/ol/phone/code", ("handler", "resend"), ("attempt", Attempt), ("returnUrl", ReturnUrl));

    public string RestartUrl => PortalUrl("/ol/phone", ("returnUrl", ReturnUrl));

    public static string CodeUrl(PortalPageModel page, CodeSent sent, TimeProvider clock, string? returnUrl) =>
        page.PortalUrl("/ol/phone/code",
            ("attempt", sent.AttemptId.ToString()),
            ("resendAt", ResendClock.At(sent, clock)),
            ("returnUrl", returnUrl));

    /// <summary>The number the code went to, masked (<see cref="GetPhoneCodeTarget"/>); null when the attempt is unknown.</summary>
    public string? SentTo { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        await ReadStateAsync(cancellationToken);
        if (State is { End: not CodeEnd.None } state)
        {
            // A code that no longer works says why at once, rather than after it is typed.
            Dead = true;
            ModelState.AddModelError("", CodeEndWords.For(state, CodeLifetime));
        }
    }

    private async Task ReadStateAsync(CancellationToken cancellationToken)
    {
        State = await Sender.Send(new GetPhoneCodeState(Attempt), cancellationToken);
        SentTo = State?.SentTo;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await Sender.Send(new VerifyCode(Attempt, Input.Code), cancellationToken);
            if (result is { ClientId: { } clientId, Standing: { } standing })
            {
                return await SignedInAsync(clientId, standing, ReturnUrl, PortalSessions.ByPhone);
            }

            // A new client gives their details first, then goes on to the time they chose (if they chose one).
            ticket.Issue(HttpContext, Business.Id, result.AttemptId);
            return Redirect(PortalUrl("/ol/new-client", ("returnUrl", ReturnTo(ReturnUrl))));
        }
        catch (Exception ex) when (PageProblems.Kind(ex) == "not-accepting-new-clients")
        {
            // The right code for a number not on file, while the business takes no new clients: nothing on this form can
            // help, so the page says so as the new-client page would.
            return Gate(PortalGateView.NotAcceptingNewClients(Business.Name));
        }
        catch (Exception ex) when (CodeProblems.TryAdd(ModelState, ex, out var dead))
        {
            Dead = dead;
            Input.Code = null;
            await ReadStateAsync(cancellationToken);
            if (PageProblems.Kind(ex) == "attempt-expired" && State is { End: not CodeEnd.None } state)
            {
                // The client's own attempt: say which of expired, used or too many wrong tries it was (finding 5).
                ModelState.Remove("");
                ModelState.AddModelError("", CodeEndWords.For(state, CodeLifetime));
            }

            return Page();
        }
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        await ReadStateAsync(cancellationToken);
        if (TextFailedForGood)
        {
            // The carrier refused the number for good: another code would fail the same way and count against the limits.
            return Page();
        }

        try
        {
            var sent = await Sender.Send(new ResendCode(Attempt) { Ip = HttpContext.ClientIp() }, cancellationToken);
            return Redirect(CodeUrl(this, sent, clock, ReturnUrl) + "&resent=1");
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
            await ReadStateAsync(cancellationToken);
            if (Dead && State is { End: not CodeEnd.None } state)
            {
                ModelState.Remove("");
                ModelState.AddModelError("", CodeEndWords.For(state, CodeLifetime));
            }

            return Page();
        }
    }
}
