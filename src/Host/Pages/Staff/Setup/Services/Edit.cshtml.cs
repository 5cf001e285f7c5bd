using System.ComponentModel.DataAnnotations;
using Booking.BuildingBlocks.Contracts;
using Booking.Host.Web;
using Booking.Roster.Contracts;
using Booking.Services.Contracts;
using Booking.Services.Features.Catalogue;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Staff.Setup.Services;

/// <summary>/staff/setup/services/new and /staff/setup/services/{id}: the CreateService / UpdateService commands of the API.</summary>
public sealed class EditModel(ISender sender) : StaffPageModel
{
    [BindProperty]
    public ServiceForm Input { get; set; } = new();

    public bool IsNew { get; private set; }

    public bool Retired { get; private set; }

    public IReadOnlyList<DiaryView> Diaries { get; private set; } = [];

    /// <summary>Any of the business's diaries is switched off: the page says what that means beside the checkboxes.</summary>
    public bool AnyDiaryOff => Diaries.Any(d => !d.Active);

    /// <summary>
    /// The services list's words (<see cref="SwitchedOffDiaries.AllOff"/>) when the service is offered online, not
    /// retired, and every diary ticked is switched off: clients cannot book it online however it is saved.
    /// </summary>
    public string? AllDiariesOff => Input.BookableOnline && !Retired
        ? SwitchedOffDiaries.AllOff(Input.DiaryIds ?? [], Diaries.ToDictionary(d => d.Id))
        : null;

    /// <summary>The business's currency's decimals (ISO 4217 minor units): JPY 0, AUD 2, KWD 3.</summary>
    public int PriceDecimals => CurrencyDigits.Of(Business.Currency);

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFoundPage();
        }

        if (IsNew)
        {
            Input.Price = new Money(0m, Business.Currency).Format();

            // One diary on (a new business's first service): ticked already, so the service can be booked once saved;
            // with several, the owner chooses (review s42 #10).
            if (Diaries.Where(d => d.Active).ToList() is [var only])
            {
                Input.DiaryIds = [only.Id];
            }
        }
        else
        {
            var s = (await sender.Send(new GetService(Guid.Parse(id)), ct))!;
            Input = new ServiceForm
            {
                Name = s.Name,
                Description = s.Description,
                DurationMinutes = s.DurationMinutes,
                BufferAfterMinutes = s.BufferAfterMinutes,
                Price = s.Price.Format(),
                BookableOnline = s.BookableOnline,
                DiaryIds = s.DiaryIds.ToList(),
                ForSpecies = string.Join(", ", s.ForSpecies),
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
        {
            return NotFoundPage();
        }

        // A box left out (its default was saved: 60 minutes, a price of 0) or a diary id that is no id: the page's words,
        // and nothing is sent (decision 260).
        Fields.Unread(this);

        // A price that is not a number, or could be two, is this page's own field error. "12,50" is 12.50 and "£12.50"
        // 12.50 (PriceText): the invariant parser read the first as 1,250.00 and refused the second.
        // An empty box is refused the same way, in the same words.
        var amount = PriceText.Parse(Input.Price ?? "", Business.Currency, Business.CountryCode, out var problem);
        if (amount is null)
        {
            ModelState.AddModelError("Input.Price", problem!);
        }

        var price = new MoneyInput(amount, null);
        var diaryIds = Input.DiaryIds ?? [];
        // The animals, comma-separated, only where the business books for pets (elsewhere not in the form: left as they are).
        var forSpecies = BooksForPets ? SpeciesList(Input.ForSpecies) : null;
        ICommand<ServiceView> command = IsNew
            ? new CreateService(Input.Name, Input.Description ?? "", Input.DurationMinutes, Input.BufferAfterMinutes, price, Input.BookableOnline, diaryIds, forSpecies)
            : new UpdateService(Guid.Parse(id), Input.Name, Input.Description ?? "", Input.DurationMinutes, Input.BufferAfterMinutes, price, Input.BookableOnline, diaryIds, forSpecies);

        // A duration, buffer or price that did not read: nothing is sent, every other field is checked (decision 240).
        if (await NumberBoxes.RefusedAsync(this, command, Fields.InputName, ct))
        {
            Fields.UsePageWording(ModelState);
            return Page();
        }

        try
        {
            var saved = await sender.Send(command, ct);
            if (!IsNew && saved.Retired)
            {
                TempData["Notice"] = $"Saved {saved.Name}. It is still retired: Restore offers it again.";
                return Redirect("/staff/setup/services");
            }

            TempData["Notice"] = $"Saved {Input.Name?.Trim()}.";
            return Redirect("/staff/setup/services");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, Fields.InputName))
        {
            Fields.UsePageWording(ModelState);
            return Page();
        }
    }

    public const string PageBadDiaries = "Tick diaries from the list. One that was sent is not one of your diaries (it may have been removed).";

    /// <summary>The form's fields: "price.amount" → Input.Price, "diaryIds[2]" → Input.DiaryIds (decision 260).</summary>
    public static readonly FormFields Fields = new(
        "Input.",
        typeof(ServiceForm),
        new FormField(nameof(ServiceForm.Price), "price") { Missing = "Enter the price, or 0 if it is free." },
        new FormField(nameof(ServiceForm.DiaryIds), "diaryIds") { Choose = PageBadDiaries },
        new FormField(nameof(ServiceForm.ForSpecies), "forSpecies"));

    /// <summary>The business books for pets (portal settings): the page asks which animals a service is for.</summary>
    public bool BooksForPets { get; private set; }

    /// <summary>"dog, Cat," → ["dog", "Cat"]: split at commas, trimmed, empty parts (a trailing comma) left out.</summary>
    public static IReadOnlyList<string?> SpeciesList(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private async Task<bool> LoadAsync(string id, CancellationToken ct)
    {
        Diaries = (await sender.Send(new GetDiaries(null), ct)).OrderBy(d => d.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        BooksForPets = (await sender.Send(new Booking.Tenancy.Contracts.GetPortalSettings(), ct)).BooksForPets;
        IsNew = id == "new";
        if (IsNew)
        {
            return true;
        }

        // Retired is known on a failed post too, so the page says it again (and does not warn about diaries then).
        var service = Guid.TryParse(id, out var guid) ? await sender.Send(new GetService(guid), ct) : null;
        Retired = service?.Retired == true;
        return service is not null;
    }

    private IActionResult NotFoundPage() => Stopped(404, "Service not found", "This business has no such service.");

    public sealed class ServiceForm
    {
        [Display(Name = "Name")]
        public string? Name { get; set; }

        [Display(Name = "Description")]
        public string? Description { get; set; }

        [Display(Name = "Duration (minutes)")]
        [NumberBox("Enter the duration in whole minutes, for example 30.")]
        public int? DurationMinutes { get; set; } = 60;

        [Display(Name = "Buffer after (minutes)")]
        [NumberBox("Enter the buffer in whole minutes, for example 10, or 0 for none.")]
        public int? BufferAfterMinutes { get; set; } = 0;

        [Display(Name = "Price")]
        public string? Price { get; set; } = "0.00";

        [Display(Name = "Clients may book it online")]
        public bool BookableOnline { get; set; } = true;

        public List<Guid>? DiaryIds { get; set; } = [];

        [Display(Name = "For which animals (leave empty for any)")]
        public string? ForSpecies { get; set; }
    }
}
