package dev.acmesmime.deploy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Adds a guide's {@code <processor>} blocks to a James {@code mailetcontainer.xml} the way the guide says:
 * a processor James already has (e.g. {@code local-delivery}) gets the block's matchers and mailets first,
 * before its own; a processor it lacks is added whole.
 */
final class MailetContainerBlocks {

    private MailetContainerBlocks() {
    }

    static void add(Path mailetContainer, String blocks) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        Document target = factory.newDocumentBuilder().parse(mailetContainer.toFile());
        Document source = factory.newDocumentBuilder()
                .parse(new InputSource(new StringReader("<blocks>" + blocks + "</blocks>")));
        Element processors = (Element) target.getElementsByTagName("processors").item(0);
        NodeList added = source.getDocumentElement().getElementsByTagName("processor");
        for (int i = 0; i < added.getLength(); i++) {
            Element block = (Element) target.importNode(added.item(i), true);
            Element existing = processor(processors, block.getAttribute("state"));
            if (existing == null) {
                processors.appendChild(block);
            } else {
                Node first = existing.getFirstChild();
                while (block.getFirstChild() != null) {
                    existing.insertBefore(block.getFirstChild(), first);
                }
            }
        }
        write(target, mailetContainer);
    }

    private static Element processor(Element processors, String state) {
        NodeList all = processors.getElementsByTagName("processor");
        for (int i = 0; i < all.getLength(); i++) {
            Element p = (Element) all.item(i);
            if (p.getAttribute("state").equals(state)) {
                return p;
            }
        }
        return null;
    }

    private static void write(Document document, Path file) throws IOException {
        try {
            Transformer transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.transform(new DOMSource(document), new StreamResult(file.toFile()));
        } catch (TransformerException e) {
            throw new IOException("Cannot write " + file, e);
        }
    }
}
