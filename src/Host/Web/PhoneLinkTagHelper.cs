using Booking.BuildingBlocks.Phones;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Booking.Host.Web;

/// <summary>
/// <c>&lt;phone-link number="@c.Mobile" country="@Model.Business.CountryCode" /&gt;</c>: a stored phone number for staff to
/// call, written as the business's country writes it (<see cref="PhoneDisplay.Format"/>) in a link to its E.164
/// <c>tel:</c> address. A stored value that is not E.164 is shown as plain text, as it is; none shows <see cref="None"/>.
/// </summary>
[HtmlTargetElement("phone-link", TagStructure = TagStructure.WithoutEndTag)]
public sealed class PhoneLinkTagHelper : TagHelper
{
    public string? Number { get; set; }

    public string? Country { get; set; }

    /// <summary>What shows for no number (default nothing).</summary>
    public string None { get; set; } = "";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        output.TagMode = TagMode.StartTagAndEndTag;
        if (string.IsNullOrWhiteSpace(Number))
        {
            output.TagName = null;
            output.Content.SetContent(None);
            return;
        }

        var text = PhoneDisplay.Format(Number, Country);
        if (PhoneDisplay.TelHref(Number) is { } href)
        {
            output.TagName = "a";
            output.Attributes.SetAttribute("href", href);
            output.Attributes.SetAttribute("class", "phone");
        }
        else
        {
            output.TagName = "span";
            output.Attributes.SetAttribute("class", "phone");
        }

        output.Content.SetContent(text);
    }
}
