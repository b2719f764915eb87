using PiHub.Server.Auth.ClientPages;

namespace PiHub.Server.Tests.Auth;

public class RedirectUriLinksTests
{
    private static readonly Uri s_page = new("http://127.0.0.1:8000/app/page");

    [Test]
    public void Find_HomeAssistantsExample_AbsoluteKeptRelativeResolved()
    {
        const string html = """
            <!doctype html>
            <html>
              <head>
                <link rel="redirect_uri" href="hass://oauth2_redirect">
                <link rel="other_value" href="hass://oauth2_redirect/other">
                <link rel="redirect_uri" href="/beer">
              </head>
            </html>
            """;

        var found = RedirectUriLinks.Find(s_page, html, []);

        Assert.That(found, Does.Contain("hass://oauth2_redirect").And.Contain("http://127.0.0.1:8000/beer"));
        Assert.That(found, Does.Not.Contain("hass://oauth2_redirect/other"));
    }

    [Test]
    public void Find_CommentedOutTag_Ignored()
    {
        var found = RedirectUriLinks.Find(s_page, "<!-- <link rel=redirect_uri href=https://a.example/cb> -->", []);

        Assert.That(found, Is.Empty);
    }

    [Test]
    public void Find_UnquotedSelfClosingAndEntities_Read()
    {
        var found = RedirectUriLinks.Find(s_page, "<link href=https://a.example/cb?a=1&amp;b=2 rel=redirect_uri />", []);

        Assert.That(found, Does.Contain("https://a.example/cb?a=1&b=2"));
    }

    [Test]
    public void Find_LinkHeaders_OnlyRedirectUriRelations()
    {
        var found = RedirectUriLinks.Find(s_page, "",
            ["<https://a.example/cb>; rel=\"redirect_uri\", </style.css>; rel=stylesheet", "<cb2>; title=x; rel=redirect_uri"]);

        Assert.That(found, Is.EquivalentTo(new[] { "https://a.example/cb", "http://127.0.0.1:8000/app/cb2" }));
    }

    [Test]
    public void Find_LinkingElementNamedLike_NotALinkTag()
    {
        var found = RedirectUriLinks.Find(s_page, "<linked rel=redirect_uri href=https://a.example/cb>", []);

        Assert.That(found, Is.Empty);
    }
}
