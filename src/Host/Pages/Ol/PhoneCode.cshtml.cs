using Booking.Host.Web;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>Step 2 of phone sign-in: the code. A phone on file signs in; an unknown phone goes to new-client.</summary>
public sealed class PhoneCodeModel(TimeProvider clock, NewClientTicket ticket, IWebHostEnvironment environment) : PortalPageModel
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

    public bool Resent { get; private set; }

    /// <summary>The attempt cannot take a code any more: start again.</summary>
    public bool Dead { get; private set; }

    public bool ShowDevSmsHint => environment.IsDevelopment();

    public int SecondsToResend => (int)Math.Max(0, (ResendAt ?? 0) - clock.GetUtcNow().ToUnixTimeSeconds());

    public static string CodeUrl(PortalPageModel page, CodeSent sent, TimeProvider clock, string? returnUrl) =>
        page.PortalUrl("/ol/phone/code",
            ("attempt", sent.AttemptId.ToString()),
            ("resendAt", (clock.GetUtcNow().ToUnixTimeSeconds() + sent.ResendAfterSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("returnUrl", returnUrl));

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await Sender.Send(new VerifyCode(Attempt, Input.Code?.Trim()), cancellationToken);
            if (result.ClientId is { } clientId)
            {
                await PortalSessions.SignInAsync(HttpContext, Business.Id, clientId, result.AwaitingFirstRequest);
                return Redirect(AfterSignIn(ReturnUrl));
            }

            ticket.Issue(HttpContext, Business.Id, result.AttemptId);
            return Redirect(PortalUrl("/ol/new-client"));
        }
        catch (Exception ex) when (PageProblems.Kind(ex) == "not-accepting-new-clients")
        {
            // The right code for a number not on file, while the business takes no new clients: nothing on this form can
            // help, so the page says so as the new-client page would.
            return Gate(PortalGateView.NotAcceptingNewClients(Business.Name));
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, field => field == "attemptId" ? "" : PageProblems.DefaultInputName(field)))
        {
            var kind = PageProblems.Kind(ex);
            if (kind == "attempt-expired")
            {
                Dead = true;
                ModelState.Remove("");
                ModelState.AddModelError("", "This code no longer works: it expired, was used, or had too many wrong tries. Ask for a new code.");
            }

            if (kind == "invalid-code")
            {
                // The wrong code belongs next to the code field, with how many tries are left.
                var message = ModelState[""]?.Errors.LastOrDefault()?.ErrorMessage;
                ModelState.Remove("");
                var left = ex is Booking.BuildingBlocks.Problems.ProblemException p && p.Extensions.TryGetValue("attemptsLeft", out var l) ? l as int? : null;
                if (left == 0)
                {
                    // That was the last wrong code: the code is dead, and no form for it is shown again.
                    Dead = true;
                    ModelState.AddModelError("", "That code is not right, and that was the last try: this code no longer works. Ask for a new code.");
                }
                else
                {
                    ModelState.AddModelError("Input.Code", left is null ? message ?? "That code is not right." : $"That code is not right. {left} {(left == 1 ? "try" : "tries")} left.");
                }
            }

            Input.Code = null;
            return Page();
        }
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sent = await Sender.Send(new ResendCode(Attempt) { Ip = HttpContext.Connection.RemoteIpAddress?.ToString() ?? "unknown" }, cancellationToken);
            return Redirect(CodeUrl(this, sent, clock, ReturnUrl) + "&resent=1");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => ""))
        {
            Dead = PageProblems.Kind(ex) == "attempt-expired";
            return Page();
        }
    }

    public sealed class CodeInput
    {
        public string? Code { get; set; }
    }
}
