package dev.siyu.wecom;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parsers for WeCom's flat XML that refuse DOCTYPEs outright: WeCom never sends one, and refusing it
 * shuts out XXE, external DTD fetches and entity-expansion bombs in one rule. The other switches are
 * belts to that pair of braces. {@link #envelope} reads the unauthenticated outer envelope as a stream
 * and keeps three fields; {@link #parse} builds a DOM of the decrypted, authenticated event only.
 */
final class SafeXml {
    /** The outer envelope's fields: what the signature check and the decryption need, nothing else. */
    record Envelope(String toUserName, String encrypt, String agentId) { }

    private static final javax.xml.stream.XMLInputFactory STAX = staxFactory();

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // Warnings never make a document unusable.
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private SafeXml() {
    }

    /**
     * The envelope's ToUserName, Encrypt and AgentID (direct children of the root), read as a stream: no
     * tree is built, no DTD is accepted, and everything else in it is skipped. The caller bounds its size.
     */
    static Envelope envelope(String xml, String what) {
        if (xml == null || xml.isBlank()) {
            throw CallbackRejected.badRequest(what + " is empty");
        }
        javax.xml.stream.XMLStreamReader r = null;
        try {
            r = STAX.createXMLStreamReader(new StringReader(xml));
            String to = null;
            String encrypt = null;
            String agent = null;
            int depth = 0;
            while (r.hasNext()) {
                int event = r.next();
                if (event == javax.xml.stream.XMLStreamConstants.DTD) {
                    throw CallbackRejected.badRequest(what + " has a DOCTYPE, which WeCom never sends (XXE refused)");
                }
                if (event == javax.xml.stream.XMLStreamConstants.START_ELEMENT) {
                    depth++;
                    if (depth == 2) {
                        String name = r.getLocalName();
                        if (name.equals("ToUserName") || name.equals("Encrypt") || name.equals("AgentID")) {
                            // getElementText reads to the element's end tag, so depth drops back here.
                            String text = r.getElementText();
                            depth--;
                            switch (name) {
                                case "ToUserName" -> to = text;
                                case "Encrypt" -> encrypt = text;
                                default -> agent = text;
                            }
                        }
                    }
                } else if (event == javax.xml.stream.XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
            return new Envelope(to, encrypt, agent);
        } catch (javax.xml.stream.XMLStreamException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("DOCTYPE") || msg.contains("DTD")) {
                throw CallbackRejected.badRequest(what + " has a DOCTYPE, which WeCom never sends (XXE refused)");
            }
            throw CallbackRejected.badRequest(what + " is not well-formed XML: " + msg);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (javax.xml.stream.XMLStreamException ignored) {
                    // Closing a reader over a string releases nothing that could fail.
                }
            }
        }
    }

    /**
     * The JDK's StAX parser (newDefaultFactory skips the service-loader lookup) with DTDs and external
     * entities off. A factory is thread-safe once configured, so one serves every request.
     */
    private static javax.xml.stream.XMLInputFactory staxFactory() {
        javax.xml.stream.XMLInputFactory f = javax.xml.stream.XMLInputFactory.newDefaultFactory();
        f.setProperty(javax.xml.stream.XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(javax.xml.stream.XMLInputFactory.IS_NAMESPACE_AWARE, false);
        return f;
    }

    /** The root element; what names the document in the rejection reason. */
    static Element parse(String xml, String what) {
        if (xml == null || xml.isBlank()) {
            throw CallbackRejected.badRequest(what + " is empty");
        }
        try {
            DocumentBuilder builder = factory().newDocumentBuilder();
            // The default handler prints "[Fatal Error]" to stderr before throwing.
            builder.setErrorHandler(THROWING);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity refused: " + systemId);
            });
            return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
        } catch (SAXException e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("DOCTYPE")) {
                throw CallbackRejected.badRequest(what + " has a DOCTYPE, which WeCom never sends (XXE refused)");
            }
            throw CallbackRejected.badRequest(what + " is not well-formed XML: " + msg);
        } catch (IOException | ParserConfigurationException e) {
            throw CallbackRejected.badRequest(what + " could not be read as XML: " + e.getMessage(), e);
        }
    }

    /** Text of the first direct child element with this name, or null. */
    static String childText(Element parent, String name) {
        Element child = child(parent, name);
        return child == null ? null : child.getTextContent();
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE && name.equals(n.getNodeName())) {
                return (Element) n;
            }
        }
        return null;
    }

    static List<String> childTexts(Element parent, String name) {
        List<String> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeType() == Node.ELEMENT_NODE && name.equals(n.getNodeName())) {
                out.add(n.getTextContent());
            }
        }
        return out;
    }

    /**
     * A fresh factory per parse: factories are not thread-safe, and newDefaultInstance skips the
     * service-loader lookup, so we always get the JDK parser whose feature names are set here.
     */
    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newDefaultInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f;
    }
}
